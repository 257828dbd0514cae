"""The OpenAPI 3 document served at ``/openapi.json`` (kept by hand beside the handlers)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from notifier import __version__

routes = web.RouteTableDef()

_ID = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[A-Za-z0-9._:-]+$"}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_PICKUP = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 300},
        "location": {"type": "string", "minLength": 1, "maxLength": 500},
        "hours": {"type": "string", "maxLength": 200},
        "instructions": {"type": "string", "maxLength": 2000},
    },
}
_DETAILS = {
    "name": {"type": "string", "minLength": 1, "maxLength": 300},
    "locality": {"type": "string", "maxLength": 200},
    "city": {"type": "string", "minLength": 1, "maxLength": 100},
    "pincode": {"type": ["string", "null"], "pattern": "^[1-9][0-9]{5}$"},
    "aliases": {
        "type": "array",
        "maxItems": 20,
        "items": {"type": "string", "minLength": 1, "maxLength": 300},
    },
    "brand": {"type": ["string", "null"], "minLength": 1, "maxLength": 100},
    "starts_at": _TIME,
    "ends_at": _TIME,
}
_ERROR = {
    "type": "object",
    "required": ["error", "status"],
    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Malformed request (body is not JSON)",
        401: "Missing or wrong bearer token",
        404: "Not found",
        409: "Conflicts with the current state",
        413: "Too many records",
        415: "Body is not JSON",
        422: "Invalid input; the message says which field and why",
    }
    return {str(c): _json({"$ref": "#/components/schemas/Error"}, text[c]) for c in codes}


_BUILDING_OUT = {"type": "object", "properties": {"building_id": {"type": "string"}}}
_RESULT = _json(
    {
        "type": "object",
        "properties": {
            "building": {"type": ["object", "null"]},
            "emails_queued": {"type": "integer"},
            "sent_to_review": {"type": "integer"},
            "emails_cancelled": {"type": "integer"},
        },
    },
    "What the change led to",
)
_BUILDING_PATH = {"name": "building_id", "in": "path", "required": True, "schema": _ID}
_REVIEW_PATH = {
    "name": "review_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}
_TOKEN_QUERY = {
    "name": "token",
    "in": "query",
    "required": True,
    "schema": {"type": "string", "maxLength": 2048},
}
_AUTHED = [{"bearer": []}]
_PUBLIC: list[dict[str, Any]] = []
_HTML = {"content": {"text/html": {"schema": {"type": "string"}}}}


def _html(description: str) -> dict[str, Any]:
    return {"description": description, **_HTML}


DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "pickup-notifier ops API",
        "version": __version__,
        "description": "Register quarantined buildings and their pickup points, decide doubtful "
        "address matches, follow open rates. Every endpoint but health, metrics, this document "
        "and the unsubscribe pages needs `Authorization: Bearer <NOTIFIER_API_TOKEN>`.",
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": _ERROR,
            "Pickup": _PICKUP,
            "Registration": {
                "type": "object",
                "additionalProperties": False,
                "required": ["building_id", "name", "city", "pickup"],
                "properties": {
                    "building_id": _ID,
                    "event_id": {"type": "string", "minLength": 1, "maxLength": 200},
                    **_DETAILS,
                    "pickup": {
                        "allOf": [{"$ref": "#/components/schemas/Pickup"}],
                        "required": ["name", "location"],
                    },
                },
            },
            "Update": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "event_id": {"type": "string", "minLength": 1, "maxLength": 200},
                    **_DETAILS,
                    "pickup": {"$ref": "#/components/schemas/Pickup"},
                },
            },
        },
    },
    "security": _AUTHED,
    "paths": {
        "/healthz": {
            "get": {
                "summary": "Liveness and database check",
                "security": _PUBLIC,
                "responses": {
                    "200": _json({"type": "object"}, "Healthy"),
                    "503": _json({"type": "object"}, "Database unavailable"),
                },
            }
        },
        "/metrics": {
            "get": {
                "summary": "Prometheus metrics",
                "security": _PUBLIC,
                "responses": {
                    "200": {
                        "description": "Prometheus text format",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/buildings": {
            "get": {
                "summary": "List registered buildings",
                "parameters": [
                    {
                        "name": "active",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["true", "false"]},
                    }
                ],
                "responses": {
                    "200": _json({"type": "object"}, "Buildings"),
                    **_errors(401, 422),
                },
            },
            "post": {
                "summary": "Quarantine a building and open its pickup point",
                "description": "Registering an already quarantined building updates it.",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Registration"}
                        }
                    },
                },
                "responses": {
                    "201": {
                        **_RESULT,
                        "description": "Registered; residents are being emailed",
                        "links": {
                            "UpdateBuilding": {
                                "operationId": "updateBuilding",
                                "parameters": {
                                    "building_id": "$response.body#/building/building_id"
                                },
                            }
                        },
                    },
                    "200": {**_RESULT, "description": "Was already quarantined: updated"},
                    **_errors(400, 401, 415, 422),
                },
            },
        },
        "/buildings/{building_id}": {
            "parameters": [_BUILDING_PATH],
            "get": {
                "summary": "One building",
                "responses": {"200": _json(_BUILDING_OUT, "Building"), **_errors(401, 404)},
            },
            "patch": {
                "summary": "Change details or the pickup point (residents hear of pickup changes)",
                "operationId": "updateBuilding",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Update"}}
                    },
                },
                "responses": {"200": _RESULT, **_errors(400, 401, 404, 409, 415, 422)},
            },
        },
        "/buildings/{building_id}/lift": {
            "parameters": [_BUILDING_PATH],
            "post": {
                "summary": "Lift the quarantine",
                "responses": {"200": _RESULT, **_errors(401, 404, 409)},
            },
        },
        "/reviews": {
            "get": {
                "summary": "Doubtful matches waiting for a decision",
                "parameters": [
                    {
                        "name": "status",
                        "in": "query",
                        "required": False,
                        "schema": {
                            "type": "string",
                            "enum": ["open", "approved", "rejected", "obsolete", "all"],
                        },
                    }
                ],
                "responses": {
                    "200": _json({"type": "object"}, "Review items"),
                    **_errors(401, 422),
                },
            }
        },
        "/reviews/{review_id}/approve": {
            "parameters": [_REVIEW_PATH],
            "post": {
                "summary": "Confirm the match: the resident is emailed",
                "operationId": "approveReview",
                "responses": {
                    "200": _json({"type": "object"}, "Approved"),
                    **_errors(401, 404, 409),
                },
            },
        },
        "/reviews/{review_id}/reject": {
            "parameters": [_REVIEW_PATH],
            "post": {
                "summary": "Not the same building: nobody is emailed",
                "operationId": "rejectReview",
                "responses": {
                    "200": _json({"type": "object"}, "Rejected"),
                    **_errors(401, 404, 409),
                },
            },
        },
        "/campaigns": {
            "get": {
                "summary": "Open-rate figures per campaign (quarantine episode)",
                "responses": {
                    "200": {
                        **_json({"type": "object"}, "Campaigns"),
                        "links": {
                            "CampaignStats": {
                                "operationId": "campaignStats",
                                "parameters": {"campaign_id": "$response.body#/campaigns/0/key"},
                            }
                        },
                    },
                    **_errors(401),
                },
            }
        },
        "/campaigns/{campaign_id}": {
            "parameters": [
                {
                    "name": "campaign_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "minLength": 1},
                }
            ],
            "get": {
                "summary": "One campaign's figures by building, city and language",
                "operationId": "campaignStats",
                "responses": {"200": _json({"type": "object"}, "Figures"), **_errors(401, 404)},
            },
        },
        "/report": {
            "get": {
                "summary": "The open-rate report as one self-contained HTML page",
                "parameters": [
                    {
                        "name": "campaign",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"200": _html("HTML report"), **_errors(401)},
            }
        },
        "/ses-events": {
            "post": {
                "summary": "SES event-publishing records (or SNS envelopes) into tracking",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    {"type": "object"},
                                    {"type": "array", "items": {"type": "object"}},
                                ]
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json({"type": "object"}, "Counts (invalid records dead-lettered)"),
                    **_errors(400, 401, 413, 415),
                },
            }
        },
        "/unsubscribe": {
            "parameters": [_TOKEN_QUERY],
            "get": {
                "summary": "Confirmation page with an unsubscribe button",
                "security": _PUBLIC,
                "responses": {
                    "200": _html("Confirmation page"),
                    "400": _html("Token missing or malformed"),
                    "403": _html("Token forged or expired"),
                },
            },
            "post": {
                "summary": "RFC 8058 one-click unsubscribe",
                "security": _PUBLIC,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["List-Unsubscribe"],
                                "properties": {
                                    "List-Unsubscribe": {"type": "string", "enum": ["One-Click"]}
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _html("Unsubscribed"),
                    "400": _html("Token malformed or body incomplete"),
                    "403": _html("Token forged or expired"),
                },
            },
        },
    },
}


@routes.get("/openapi.json")
async def openapi(request: web.Request) -> web.Response:
    return web.json_response(DOCUMENT)
