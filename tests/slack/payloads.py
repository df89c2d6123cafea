"""Block Kit payloads validated as Slack validates them: slack_sdk's own
models (`slack_sdk.models.blocks`, `View`) and Slack's documented limits
from `bot/slack/limits.py`, the module the renderers keep to.

The stand-in refuses what fails here, as Slack does, and tests call these
directly on what the renderers build.
"""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.slack import limits

# What slack_sdk's `JsonObject.validate_json` checks is on the object itself;
# these attributes hold the objects nested in it.
_NESTED = ("text", "fields", "elements", "accessory", "title", "confirm")


def message_errors(body: dict[str, Any]) -> list[str]:
    """Why Slack would refuse a chat.postMessage or response_url body; [] when it fits."""
    blocks = body.get("blocks") or []
    errors = blocks_errors(blocks, limits.MESSAGE_BLOCKS)
    if len(str(body.get("text", ""))) > limits.MESSAGE_TEXT:
        errors.append(f"text of {len(str(body.get('text', '')))} chars (max {limits.MESSAGE_TEXT})")
    size = limits.characters(body.get("text", "")) + limits.characters(blocks)
    if size > limits.MESSAGE_TEXT:
        errors.append(f"{size} characters in the message (max {limits.MESSAGE_TEXT})")
    return errors


def view_errors(view: dict[str, Any]) -> list[str]:
    """Why Slack would refuse a Home view in views.publish; [] when it fits."""
    errors: list[str] = []
    if view.get("type") != "home":
        errors.append(f"view type {view.get('type')!r}, not 'home'")
    try:
        View(**view).validate_json()
    except Exception as exc:  # noqa: BLE001 - slack_sdk's reason is the message
        errors.append(f"view: {exc}")
    if len(view.get("private_metadata") or "") > limits.PRIVATE_METADATA:
        errors.append("private_metadata over the limit")
    return errors + blocks_errors(view.get("blocks") or [], limits.HOME_BLOCKS)


def blocks_errors(blocks: list[dict[str, Any]], max_blocks: int) -> list[str]:
    errors: list[str] = []
    if len(blocks) > max_blocks:
        errors.append(f"{len(blocks)} blocks (max {max_blocks})")
    ids = [b["block_id"] for b in blocks if b.get("block_id")]
    if len(ids) != len(set(ids)):
        errors.append("two blocks share a block_id")
    for i, raw in enumerate(blocks):
        block = Block.parse(raw)
        if block is None or type(block) is Block:
            errors.append(f"block {i}: not a block slack_sdk knows: {raw.get('type')!r}")
            continue
        errors += [f"block {i}{e}" for e in _model_errors(block, "")]
        errors += [f"block {i}: {e}" for e in _limit_errors(raw)]
    return errors


def _model_errors(obj: object, path: str) -> list[str]:
    if isinstance(obj, (list, tuple)):
        return [e for n, item in enumerate(obj) for e in _model_errors(item, f"{path}[{n}]")]
    if not isinstance(obj, JsonObject):
        return []
    errors = []
    try:
        obj.validate_json()
    except Exception as exc:  # noqa: BLE001
        errors.append(f"{path}: {exc}")
    for name in _NESTED:
        errors += _model_errors(getattr(obj, name, None), f"{path}.{name}")
    return errors


def _limit_errors(block: dict[str, Any]) -> list[str]:
    """The documented limits, checked on the JSON itself (some slack_sdk leaves out)."""
    errors = []
    kind = block.get("type")
    text = (block.get("text") or {}).get("text", "")
    if kind == "header" and len(text) > limits.HEADER_TEXT:
        errors.append(f"header of {len(text)} chars (max {limits.HEADER_TEXT})")
    if kind == "section":
        if len(text) > limits.SECTION_TEXT:
            errors.append(f"section text of {len(text)} chars (max {limits.SECTION_TEXT})")
        fields = block.get("fields") or []
        if len(fields) > limits.SECTION_FIELDS or any(len(f.get("text", "")) > limits.SECTION_FIELD for f in fields):
            errors.append("fields over the limits")
        if not text and not fields:
            errors.append("empty section")
    if kind == "context" and len(block.get("elements") or []) > limits.CONTEXT_ELEMENTS:
        errors.append("too many context elements")
    if kind == "actions":
        elements = block.get("elements") or []
        if len(elements) > limits.ACTIONS_ELEMENTS:
            errors.append("too many action elements")
        for element in elements:
            label = (element.get("text") or {}).get("text", "")
            if len(label) > limits.BUTTON_TEXT:
                errors.append(f"button text of {len(label)} chars (max {limits.BUTTON_TEXT})")
            if len(element.get("value") or "") > limits.ACTION_VALUE:
                errors.append(f"action value over {limits.ACTION_VALUE} chars")
            if len(element.get("action_id") or "") > limits.ACTION_ID:
                errors.append("action_id too long")
    return errors


def assert_fits(body: dict[str, Any]) -> None:
    errors = message_errors(body)
    assert errors == [], json.dumps(errors[:10], ensure_ascii=False)


def assert_view_fits(view: dict[str, Any]) -> None:
    errors = view_errors(view)
    assert errors == [], json.dumps(errors[:10], ensure_ascii=False)
