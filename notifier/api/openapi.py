"""The OpenAPI 3.1 document served at ``/openapi.json``.

Its schemas are generated from the pydantic models in :mod:`notifier.api.schema` (request
bodies reuse the event contracts' rules); this module only lists the routes, their parameters
and which model each status code answers with.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel

from notifier import __version__
from notifier.api import schema

__all__ = ["DOCUMENT", "openapi", "routes"]

routes = web.RouteTableDef()

_ID = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[A-Za-z0-9._:-]+$"}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


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
    return {str(c): _json(_ref(schema.ApiError), text[c]) for c in codes}


_RESULT = _json(_ref(schema.ChangeResult), "What the change led to")
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
    # Two base64url parts (notifier.campaigns.unsubscribe); ASCII keeps the URL far below
    # aiohttp's 8 KiB request-line limit, which otherwise answers before the handler does.
    "schema": {"type": "string", "maxLength": 2048, "pattern": "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$"},
}
_AUTHED: list[dict[str, list[str]]] = [{"bearer": []}]
_PUBLIC: list[dict[str, Any]] = []
_HTML = {"content": {"text/html": {"schema": {"type": "string"}}}}


def _html(description: str) -> dict[str, Any]:
    return {"description": description, **_HTML}


def _bad_link(description: str) -> dict[str, Any]:
    # A request line over 8 KiB is refused by aiohttp itself, in plain text, before any handler.
    return {
        "description": f"{description} (plain text: request line too long)",
        "content": {
            "text/html": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
        },
    }


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
        "schemas": schema.component_schemas(),
    },
    "security": _AUTHED,
    "paths": {
        "/healthz": {
            "get": {
                "summary": "Liveness and database check",
                "security": _PUBLIC,
                "responses": {
                    "200": _json(_ref(schema.Health), "Healthy"),
                    "503": _json(_ref(schema.Health), "Database unavailable"),
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
                    "200": _json(_ref(schema.BuildingList), "Buildings"),
                    **_errors(401, 422),
                },
            },
            "post": {
                "summary": "Quarantine a building and open its pickup point",
                "description": "Registering an already quarantined building updates it.",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref(schema.Registration)}},
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
                "responses": {"200": _json(_ref(schema.Building), "Building"), **_errors(401, 404)},
            },
            "patch": {
                "summary": "Change details or the pickup point (residents hear of pickup changes)",
                "operationId": "updateBuilding",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref(schema.Update)}},
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
                    "200": _json(_ref(schema.ReviewList), "Review items"),
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
                    "200": _json(_ref(schema.ReviewDecision), "Approved"),
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
                    "200": _json(_ref(schema.ReviewDecision), "Rejected"),
                    **_errors(401, 404, 409),
                },
            },
        },
        "/campaigns": {
            "get": {
                "summary": "Open-rate figures per campaign (quarantine episode)",
                "responses": {
                    "200": {
                        **_json(_ref(schema.CampaignList), "Campaigns"),
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
                "responses": {
                    "200": _json(_ref(schema.CampaignStats), "Figures"),
                    **_errors(401, 404),
                },
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
                    "200": _json(
                        _ref(schema.IngestCounts), "Counts (invalid records dead-lettered)"
                    ),
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
                    "400": _bad_link("Token missing or malformed"),
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
                    "400": _bad_link("Token malformed or body incomplete"),
                    "403": _html("Token forged or expired"),
                },
            },
        },
    },
}


@routes.get("/openapi.json")
async def openapi(request: web.Request) -> web.Response:
    return web.json_response(DOCUMENT)
