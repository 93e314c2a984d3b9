"""The app's routes, read from `app.url_map`, so new features are covered as they land."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.routing import Rule
from werkzeug.routing.converters import UUIDConverter

# Registered by flask-smorest (the OpenAPI document and its explorer), not by Limber.
EXTENSION_ENDPOINTS = ("api-docs.openapi_json", "api-docs.openapi_swagger_ui")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    rule: Rule
    method: str

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint

    @property
    def ids(self) -> list[str]:
        converters = self.rule._converters
        return [
            name
            for name, converter in converters.items()
            if isinstance(converter, UUIDConverter) or name.endswith("_id")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.rule.rule}"


def routes(app: Flask) -> Iterator[Route]:
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & set(METHODS)):
            yield Route(rule, method)


def limber_routes(app: Flask) -> list[Route]:
    return [r for r in routes(app) if r.endpoint not in EXTENSION_ENDPOINTS]


def routes_with_ids(app: Flask) -> list[Route]:
    return [r for r in limber_routes(app) if r.ids]


def view_of(app: Flask, route: Route) -> Any:
    return app.view_functions[route.endpoint]
