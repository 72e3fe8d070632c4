"""Write a DuckDB database file that is byte-identical for identical input.

DuckDB (2.0) varies files written from the same SQL and data in four ways,
which we found by writing the same database many times and comparing bytes:

1. a random 16-byte database identifier in the file header (in its newer
   storage formats; the 1.0 format written here leaves it zero);
2. its compression: with compression on, the same rows of the real package
   came out laid out differently from run to run; uncompressed they do not;
3. padding bytes in string segments that DuckDB never initialises: they hold
   whatever the allocator hands back — zero pages when memory is fresh, old
   contents (e.g. validity masks, 0xff) when it is reused, which depends on
   jemalloc's time-based purging of freed memory;
4. values under NULLs when rows arrive as Arrow buffers (Arrow leaves them
   undefined and DuckDB may store them).

So the file is written by a short-lived child process with one DuckDB
thread and compression off, jemalloc told to return freed memory at once
(DUCKDB_JE_MALLOC_CONF=dirty_decay_ms:0,muzzy_decay_ms:0, so reused memory
is zero), a fixed hash seed and minimal environment, rows handed over as
Parquet (which does not encode values under NULLs), and, on Linux where
allowed, address-space randomisation off (personality(ADDR_NO_RANDOMIZE)) as
a further guard. Afterwards the header is checked to hold no random
identifier; the file is never patched.

The file is written in DuckDB 1.0's storage format, so any DuckDB since 1.0
can open it. jemalloc is DuckDB's allocator on Linux only: elsewhere the
content is the same but the bytes may differ between builds, and
`write_database` returns False. The guarantee is for the same platform and
the same DuckDB version (its version string is in the header).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEADER_SIZE = 4096  # DuckDB's Storage::FILE_HEADER_SIZE: the main header
ID_OFFSET = 124  # the database identifier in the main header: after checksum, magic, version, flags, version strings
ID_LEN = 16

# Runs in the child. Re-executes itself once with ASLR off, then reads from stdin a JSON line (the SQL script
# and the sizes of the Parquet files that follow) and the files, registers them as Arrow tables, runs the script.
_CHILD = r"""
import ctypes, json, os, sys
NO_ASLR = 0x0040000
if sys.platform.startswith("linux"):
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        persona = libc.personality(0xFFFFFFFF)
        if (persona != -1 and not persona & NO_ASLR and libc.personality(persona | NO_ASLR) != -1
                and libc.personality(0xFFFFFFFF) & NO_ASLR):
            os.execv(sys.executable, sys.orig_argv)  # the flag takes effect at exec; the new process skips this
    except (OSError, AttributeError):
        pass
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
stdin = sys.stdin.buffer
header = json.loads(stdin.readline())
con = duckdb.connect(":memory:", config=header["config"])
for name, size in header["sources"]:
    con.register(name, pq.read_table(pa.BufferReader(stdin.read(size))))
try:
    con.execute(f"ATTACH '{header['file']}' AS c5data ({header['attach']})")
except duckdb.BinderException:  # DuckDB before 1.2 has no STORAGE_VERSION option and writes the 1.0 format anyway
    con.execute(f"ATTACH '{header['file']}' AS c5data")
con.execute("USE c5data")
con.execute(header["script"])
con.execute("CHECKPOINT c5data")
con.execute("USE memory")
con.execute("DETACH c5data")
con.close()
"""

#: One thread, and no compression: DuckDB's compression picks differ from run to run on the same data
#: (we saw it on the real package: same rows, blocks laid out differently), uncompressed storage does not.
CONFIG = {"threads": 1, "force_compression": "uncompressed"}
#: Storage format of DuckDB 1.0, so every DuckDB since 1.0 opens the release (the default, "latest", needs 2.0).
ATTACH_OPTIONS = "STORAGE_VERSION 'v1.0.0'"
_ENV_KEPT = ("PATH", "HOME", "PYTHONPATH", "PYTHONHOME", "SYSTEMROOT", "LD_LIBRARY_PATH")


class DatabaseError(Exception):
    """The DuckDB file could not be written (the message is DuckDB's); `io_error` when the machine (its disk or its
    memory), not the data, failed."""

    @property
    def io_error(self) -> bool:
        text = str(self)
        return any(marker in text for marker in ("IO Error", "No space left", "Permission denied", "Read-only file system", "Out of Memory Error", "MemoryError"))


def header_is_stable(path: Path) -> bool:
    """True when the file's database identifier is all zeros, as DuckDB writes it in the 1.0 storage format.

    A random identifier would make two builds differ; should a DuckDB version
    write one, the build says the file is not byte-reproducible rather than
    patching DuckDB's headers.
    """
    with open(path, "rb") as fh:
        head = fh.read(HEADER_SIZE)
    return len(head) == HEADER_SIZE and head[8:12] == b"DUCK" and head[ID_OFFSET : ID_OFFSET + ID_LEN] == bytes(ID_LEN)


def write_database(folder: Path, name: str, script: str, sources: dict[str, bytes]) -> bool:
    """Create `folder/name` from the SQL `script`, which reads the tables `sources` (name -> Parquet bytes).

    The rows travel as Parquet, not as Arrow IPC, because Arrow buffers carry
    whatever bytes sit under null values and DuckDB may store them; Parquet
    does not encode them at all. Returns True when the file is expected to
    be byte-reproducible: on Linux (DuckDB's jemalloc) with the header normalised.
    """
    header = {"file": name, "script": script, "config": dict(CONFIG), "attach": ATTACH_OPTIONS, "sources": [[key, len(data)] for key, data in sources.items()]}
    payload = json.dumps(header).encode("utf-8") + b"\n" + b"".join(sources.values())
    env = {k: os.environ[k] for k in _ENV_KEPT if k in os.environ}
    env.update(PYTHONHASHSEED="0", LC_ALL="C.UTF-8", DUCKDB_JE_MALLOC_CONF="dirty_decay_ms:0,muzzy_decay_ms:0")
    proc = subprocess.run([sys.executable, "-c", _CHILD], input=payload, cwd=folder, env=env, capture_output=True)
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        message = next((l for l in reversed(lines) if "Error" in l), lines[-1] if lines else "DuckDB failed")
        raise DatabaseError(message)
    wal = folder / f"{name}.wal"
    if wal.exists() and wal.stat().st_size == 0:
        wal.unlink()
    return header_is_stable(folder / name) and sys.platform.startswith("linux")
