"""Response shapes for the OpenAPI description (issue 10: every 2xx declares its JSON).

A compact notation, so that each feature's api.py states what it answers without marshmallow
output schemas (which would filter the answers): a dict is an object whose keys are all
required, a one-item list an array of that item, a string a JSON type ("string", "integer",
"number", "boolean", "object", "array", "any"), with a trailing "?" for nullable.
"""

from werkzeug.http import HTTP_STATUS_CODES

PDF = {
    "description": "A PDF file",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE = {
    "description": "The file a job made (a PDF, a ZIP of CSV files or a CSV file)",
    "content": {"application/pdf": BINARY, "application/zip": BINARY, "text/csv": BINARY},
}
JOB = {
    "job": {
        "id": "string",
        "kind": "string",
        "kind_label": "string",
        "status": "string",
        "status_label": "string",
        "waiting_for_worker": "boolean",
        "progress": "number",
        "result_url": "string?",
        "result_name": "string?",
        "error": "string?",
        "created_at": "string?",
        "finished_at": "string?",
        "expires_at": "string?",
    }
}


def shape(spec):
    if isinstance(spec, dict):
        return {
            "type": "object",
            "required": sorted(spec),
            "properties": {key: shape(value) for key, value in spec.items()},
        }
    if isinstance(spec, list):
        return {"type": "array", "items": shape(spec[0]) if spec else {}}
    nullable = spec.endswith("?")
    base = spec.rstrip("?")
    schema = {} if base == "any" else {"type": base}
    if nullable:
        schema["nullable"] = True
    return schema


def answers(status, spec, *others):
    """`responses=` of @api.doc: the 2xx with its JSON shape (or PDF), then other statuses."""
    body = (
        spec
        if spec is PDF or spec is FILE
        else {
            "description": "OK",
            "content": {"application/json": {"schema": shape(spec)}},
        }
    )
    responses = {status: body}
    for code in others:
        if isinstance(code, tuple):
            responses[code[0]] = {
                "description": "OK",
                "content": {"application/json": {"schema": shape(code[1])}},
            }
        else:
            responses[code] = HTTP_STATUS_CODES.get(code, "Error")
    return responses


SITE = {
    "slug": "string",
    "city": "string?",
    "name": "string?",
    "province": "string?",
    "province_code": "string?",
    "venue": "string?",
    "opens_on": "string",
    "closes_on": "string",
    "opens_at": "string",
    "closes_at": "string",
    "latitude": "number?",
    "longitude": "number?",
    "area_m2": "number?",
    "target": "integer?",
    "gates": ["string"],
}
EDITION = {
    "slug": "string",
    "number": "integer",
    "name": "string?",
    "slogan": "string?",
    "status": "string",
    "starts_on": "string",
    "ends_on": "string",
    "target": "integer?",
    "commission_basis_points": "integer?",
    "sites": [SITE],
}
