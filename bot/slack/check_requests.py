"""Checks requested from Slack: admitted on the listener's thread, run on a
pool of their own, answered through the request's `response_url`.

Slack wants an acknowledgement within 3 seconds and a check can take
CERTCHECK_TIMEOUT seconds, so checks never run on Bolt's listener threads
(five by default): a burst of slow checks queues here, while new requests
are still acknowledged at once. Every admitted check ends with a post:
the report, a "timed out" notice, or a "failed" notice.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

from checks import InputError, Options, Report, normalise_domain, run_check
from checks.ca_probe import CaPhase, CaProbeSettings, with_ca_view
from checks.schedule import ScheduleSettings, schedule_for_one_check

from .. import metrics
from ..db import Database
from ..renewal import Renewal
from . import replies
from .blocks import Message, display_name, report_message, say
from .language import Languages
from .overview import renewal_text
from .ratelimit import CheckLimiter
from .response_url import ReplyTo, payload, post
from .when import Zone

log = logging.getLogger(__name__)

# Sends one reply (a response_url body); True when Slack took it.
Answer = Callable[[dict[str, Any]], bool]


class CheckRequests:
    def __init__(
        self,
        options: Options,
        db: Database,
        languages: Languages,
        limiter: CheckLimiter,
        workers: int,
        *,
        ca: CaProbeSettings | None = None,
        schedule: ScheduleSettings | None = None,
    ) -> None:
        self.options = options
        self._ca = ca
        # ARI and CT, asked as `certcheck check` asks them (checks.schedule.schedule_for_one_check).
        self._schedule = schedule
        self._db = db
        self._languages = languages
        self._limiter = limiter
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="certcheck-check")

    def request(
        self,
        text: str,
        who: ReplyTo,
        *,
        replace_original: bool = False,
        answer: Answer | None = None,
        settings_of: str | None = None,
    ) -> None:
        """Validate and rate-limit on the caller's thread, then queue the check.

        `replace_original` (the Re-check button) redraws the report in place
        instead of posting a new one. `answer` sends each reply (default: a
        post to `who.response_url`); the App Home, which has no response_url,
        sends them by direct message. `settings_of`: the channel whose
        subscription says how the domain renews (default `who.channel`; the
        App Home's row names its own).
        """
        send = answer or partial(post, who.response_url)
        try:
            domain = normalise_domain(text, lab=self.options.lab_mode)
        except InputError as exc:
            lang = self._languages.pick(who.team, who.channel, who.user)
            send(replies.bad_input(text, exc.text(lang), lang).payload())
            return
        refused = self._limiter.admit(who.team, who.channel, who.user)
        if refused:
            lang = self._languages.pick(who.team, who.channel, who.user)
            send(replies.rate_limited(*refused, lang).payload())
            return
        self._pool.submit(self._run_and_deliver, text, domain, who, replace_original, send, settings_of)

    def close(self) -> None:
        """Finish the checks in flight (each bounded by the timeout) and stop."""
        self._pool.shutdown(wait=True)

    def _run_and_deliver(
        self, text: str, domain: str, who: ReplyTo, replace_original: bool, send: Answer, settings_of: str | None
    ) -> None:
        lang = "en"
        try:
            lang = self._languages.pick(who.team, who.channel, who.user)
            # A channel that watches the domain said how it renews (`subscribe example.com dns-01`): check it so.
            view = _View(
                self._db.subscriptions.renewal(who.team, settings_of or who.channel, domain),
                self._db.subscriptions.is_subscribed(who.team, who.channel, domain),
                self._languages.zone(who.team, who.channel, who.user),
            )
            if not replace_original:
                # The slash command was acknowledged silently; say we are on it.
                send(payload(say("slack:checking", lang, domain=display_name(domain)), public=False))
            report, message = self._check(text, domain, lang, view)
        except Exception:  # noqa: BLE001 - whatever broke, the asker still gets an answer
            log.exception("check of %s failed", domain)
            report, message = None, Message(say("slack:failed", lang, domain=display_name(domain)))
        send(payload(message.text, public=True, blocks=message.blocks, replace_original=replace_original))
        if report is not None and self._ca is not None:
            self._ask_the_ca(report, lang, view, self._ca, send)

    def _ask_the_ca(self, report: Report, lang: str, view: "_View", ca: CaProbeSettings, send: Answer) -> None:
        """The CA's view arrives later: redraw the posted report with it."""
        updated = asyncio.run(with_ca_view(report, self.options, CaPhase(ca, self._db.acme)))
        if updated is report:  # the probe failed (logged there): the local report already stands
            return
        message = view.message(updated, lang)
        send(payload(message.text, public=True, blocks=message.blocks, replace_original=True))

    async def _run(self, text: str, options: Options) -> Report:
        async with schedule_for_one_check(options, self._schedule) as schedule:
            return await run_check(text, options, schedule=schedule)

    def _check(self, text: str, domain: str, lang: str, view: "_View") -> tuple[Report | None, Message]:
        # The engine keeps to options.timeout itself; this outer bound only
        # guarantees an answer if it ever does not.
        limit = self.options.timeout + max(2.0, self.options.timeout / 2)
        options = view.renewal.options(self.options) if view.renewal is not None else self.options
        try:
            report = asyncio.run(asyncio.wait_for(self._run(text, options), limit))
            metrics.CHECKS.labels("slack").inc()
            metrics.observe_report(report, "slack")
        except TimeoutError:
            log.warning("check of %s overran %.1f s", domain, limit)
            seconds = f"{self.options.timeout:g}"
            return None, Message(say("slack:timed_out", lang, domain=display_name(domain), seconds=seconds))
        return report, view.message(report, lang)


@dataclass(frozen=True)
class _View:
    """How a requested check is run and shown: the subscription's renewal settings (None: not
    subscribed where they are read), whether the asking channel is subscribed, the readers' zone."""

    renewal: Renewal | None
    subscribed: bool
    tz: Zone

    def message(self, report: Report, lang: str) -> Message:
        intro = None
        if self.renewal is not None and not self.renewal.is_default:
            # Said above a report checked the way the subscription says the site renews.
            intro = say("slack:renewal_is", lang, settings=renewal_text(self.renewal, lang))
        return report_message(report, lang, subscribed=self.subscribed, tz=self.tz, intro=intro)
