"""Questions asked of the model itself: which model a field holds, whether it is a list, and
every dotted path under a model. Shared by error messages, the template and the tests that
hold ``layout`` (the plain path) to the models."""

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel


def model_paths(root: type[BaseModel]) -> frozenset[str]:
    """Every dotted path under ``root``: stated and computed fields, ``name[*]`` into lists."""
    paths: set[str] = set()
    pending: list[tuple[str, type[BaseModel]]] = [("", root)]
    while pending:
        prefix, model = pending.pop()
        fields: dict[str, Any] = {n: f.annotation for n, f in model.model_fields.items()}
        fields.update({n: f.return_type for n, f in model.model_computed_fields.items()})
        for name, annotation in fields.items():
            path = prefix + name
            paths.add(path)
            nested = nested_model(annotation)
            if nested is None:
                continue
            if is_list(annotation):
                path += "[*]"
                paths.add(path)
            pending.append((path + ".", nested))
    return frozenset(paths)


def nested_model(annotation: Any) -> type[BaseModel] | None:
    stack = [annotation]
    while stack:
        candidate = stack.pop()
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        stack.extend(getattr(candidate, "__args__", ()))
    return None


def is_list(annotation: Any) -> bool:
    stack = [annotation]
    while stack:
        candidate = stack.pop()
        if getattr(candidate, "__origin__", None) is list:
            return True
        stack.extend(getattr(candidate, "__args__", ()))
    return False


def literal_values(annotation: Any) -> list[str]:
    """The values of a Literal, or of a union of bool and Literals ("true, false or x")."""
    if get_origin(annotation) is Literal:
        return [str(value) for value in get_args(annotation)]
    if is_union(annotation):
        values: list[str] = []
        for member in get_args(annotation):
            if member is bool:
                values += ["true", "false"]
            elif get_origin(member) is Literal:
                values += [str(value) for value in get_args(member)]
            else:
                return []
        return values
    return []


def unwrap(annotation: Any) -> Any:
    """Drop ``None`` from an optional type and ``Annotated`` metadata."""
    if get_origin(annotation) is Annotated:
        return unwrap(get_args(annotation)[0])
    if is_union(annotation):
        members = [unwrap(a) for a in get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return members[0]
        return Union[tuple(members)]  # noqa: UP007 - rebuilt from parts at run time
    return annotation


def is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def list_item_model(annotation: Any) -> type[BaseModel] | None:
    if get_origin(annotation) is list:
        return model_of(unwrap(get_args(annotation)[0]))
    return None


def declaration_order(root: type[BaseModel]) -> dict[str, int]:
    """Every dotted path under ``root`` (lists' items without ``[*]``) -> its place in the
    file's order, depth first as the template writes it; derived facts after their siblings."""
    order: dict[str, int] = {}

    def walk(prefix: str, model: type[BaseModel]) -> None:
        fields: dict[str, Any] = {n: f.annotation for n, f in model.model_fields.items()}
        fields.update({n: f.return_type for n, f in model.model_computed_fields.items()})
        for name, annotation in fields.items():
            order.setdefault(prefix + name, len(order))
            nested = nested_model(annotation)
            if nested is not None:
                walk(prefix + name + ".", nested)

    walk("", root)
    return order
