"""What the codebook says of a column, from its field alone."""

from __future__ import annotations


def test_the_codebook_states_lengths_and_json_schema_of_json_fields(one_table):
    from c5data.building.codebook import column_facts
    from c5data.reading.descriptor import load_package

    fields = [
        {"name": "o", "type": "object", "constraints": {"maxLength": 2, "jsonSchema": {"required": ["k"]}}},
        {"name": "a", "type": "array", "constraints": {"minLength": 1}},
    ]
    package, problems = load_package(one_table(fields, "o,a\n"))
    assert package is not None and problems == []
    resource = package.resources[0]
    facts = [column_facts(f, resource).constraints for f in resource.schema.fields]
    assert facts == [[("at most 2 propert(ies)", ""), ("matches the JSON Schema", '{"required": ["k"]}')], [("at least 1 item(s)", "")]]
