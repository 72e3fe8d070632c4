"""<name>-<version>.zip: the CSV data package (datapackage.json, data/*.csv, codebook.md, coverage.md, CITATION.cff) in one deterministic zip.

The descriptor sits at the archive's root, as the Data Package standard expects of a zipped
package, so `frictionless validate c5data-X.Y.Z.zip` and `frictionless.Package(zip)` open it as is.

Entries are sorted, stamped with the build's time (clamped to 1980, zip's
epoch), given 0644 permissions and a Unix origin, and deflated at a fixed
level, so the same files always make the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from c5data.building.writers.context import BuildContext

MEMBERS = ("datapackage.json", "codebook.md", "coverage.md", "CITATION.cff")


def zip_name(ctx: BuildContext) -> str:
    """The file name of the release's zip archive (package name and version)."""
    return f"{ctx.descriptor.get('name') or 'package'}-{ctx.version}.zip"


def deterministic_zip(files: dict[str, bytes], epoch: int) -> bytes:
    """Zip bytes that are identical for identical input: sorted names, fixed timestamps and permissions."""
    stamp = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def write(ctx: BuildContext) -> None:
    """Write the release's zip archive holding its CSV files and the documents that describe them."""
    rels = list(MEMBERS) + [ctx.csv_path(name) for name in ctx.tables]
    files = {rel: (ctx.out / rel).read_bytes() for rel in rels if (ctx.out / rel).exists()}
    ctx.write(zip_name(ctx), deterministic_zip(files, ctx.epoch))
