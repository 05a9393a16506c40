"""Questions asked of the model itself: which model a field holds, whether it is a list, and
every dotted path a rule may read. Shared by rule loading, error messages and the template."""

from typing import Any

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
