"""The bot's own words (bot/words.py): bilingual, and as strict as the finding catalogue."""

from __future__ import annotations

import pytest

from bot.words import UI, say
from checks.messages import LANGS, MissingParameter


@pytest.mark.parametrize("key", sorted(UI))
def test_every_surface_string_is_in_english_and_japanese(key):
    assert set(UI[key]) >= set(LANGS), key
    assert all(UI[key][lang].strip() for lang in LANGS), key


def test_a_missing_parameter_raises_instead_of_rendering_a_blank():
    with pytest.raises(MissingParameter):
        say("cert:days_left", "en")
    assert say("cert:days_left", "ja", days=3) == UI["cert:days_left"]["ja"].format(days=3)


def test_an_unknown_language_falls_back_to_english():
    assert say("fix", "fr") == UI["fix"]["en"]
