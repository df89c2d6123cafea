"""Slack's documented Block Kit limits, in one place: the renderers keep to
them and the tests validate every payload against them.

Slack rejects a payload beyond any of these (`invalid_blocks`, or
`msg_too_long`), and the person who asked sees nothing, so nothing we send
may reach them. Sources: api.slack.com/reference/block-kit/blocks,
/reference/block-kit/block-elements, /reference/surfaces/views,
/methods/chat.postMessage.
"""

from __future__ import annotations

MESSAGE_BLOCKS = 50  # blocks in a message
HOME_BLOCKS = 100  # blocks in a Home tab view
MESSAGE_TEXT = 40_000  # a message's `text`
SECTION_TEXT = 3_000  # a section's text
SECTION_FIELD = 2_000  # one field of a section
SECTION_FIELDS = 10  # fields in a section
HEADER_TEXT = 150  # a header's plain text
CONTEXT_ELEMENTS = 10  # elements in a context block
ACTIONS_ELEMENTS = 25  # elements in an actions block
BUTTON_TEXT = 75  # a button's label
ACTION_VALUE = 2_000  # a button's value
ACTION_ID = 255  # an action_id or block_id
PRIVATE_METADATA = 3_000  # a view's private_metadata
# The text under a notification and for screen readers: far below MESSAGE_TEXT
# so that it reads as a summary; our own choice, not Slack's.
FALLBACK_TEXT = 3_000


def characters(value: object) -> int:
    """The characters of text in a payload (every `text` string, however deep),
    as counted against MESSAGE_TEXT."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(characters(v) for k, v in value.items() if k == "text" or isinstance(v, (dict, list)))
    if isinstance(value, list):
        return sum(characters(v) for v in value)
    return 0
