"""Who reads a channel's alerts: the language and time zone they are written in.

The channel's own `/certcheck lang` wins; else the subscribers' language
(each subscription records its subscriber's Slack locale); else English.
The time zone is the subscribers' (their Slack `tz`), else CERTCHECK_TZ.
The channel's locale as the Web API reports it is not used: it is the
workspace default, not anyone's choice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import ChannelSetting, Subscription


@dataclass(frozen=True)
class Audience:
    lang: str | None  # None: nobody said; the caller's default applies
    tz: str | None


def prevailing(choices: Sequence[str | None]) -> str | None:
    """The most common choice among those made, ties to the earliest.

    `choices` in subscription order (oldest first); None means "did not say"
    and does not vote. Ties go to the earliest subscriber: the person who
    started watching the channel's sites spoke first, and the answer must not
    change from one night to the next with no one subscribing.
    """
    made = [choice for choice in choices if choice]
    if not made:
        return None
    counts = Counter(made)
    top = max(counts.values())
    return next(choice for choice in made if counts[choice] == top)


def channel_audience(session: Session, team: str, channel: str) -> Audience:
    setting = session.get(ChannelSetting, (team, channel))
    rows = session.execute(
        select(Subscription.lang, Subscription.tz)
        .where(Subscription.team_id == team, Subscription.channel_id == channel)
        .order_by(Subscription.created_at, Subscription.id)
    ).all()
    lang = (setting.lang if setting else None) or prevailing([row.lang for row in rows])
    return Audience(lang=lang, tz=prevailing([row.tz for row in rows]))
