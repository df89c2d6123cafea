"""The sweep's loop governor (bot/nightly/governor.py): checks start by the loop's lag.

The ticks are driven by hand through `observe`, so nothing here depends on timing.
"""

from __future__ import annotations

import asyncio

from bot.nightly.governor import LoopGovernor


def test_checks_wait_while_the_loop_lags_and_start_oldest_first_when_it_recovers():
    async def scenario() -> None:
        gate = LoopGovernor(max_lag=0.05, tick=3600, burst=2)
        started: list[int] = []

        async def check(k: int) -> None:
            await gate.admit()
            started.append(k)

        tasks = [asyncio.create_task(check(k)) for k in range(5)]
        await asyncio.sleep(0)
        assert started == [0, 1]  # the first tick's allowance
        gate.observe(0.2)  # the loop is behind: nobody starts
        await asyncio.sleep(0)
        assert started == [0, 1] and gate.held == 3
        gate.observe(0.0)
        await asyncio.sleep(0)
        assert started == [0, 1, 2, 3]
        gate.observe(0.01)
        await asyncio.gather(*tasks)
        assert started == [0, 1, 2, 3, 4]
        gate.close()

    asyncio.run(scenario())


def test_a_cancelled_waiter_does_not_use_up_the_allowance():
    async def scenario() -> None:
        gate = LoopGovernor(tick=3600, burst=1)
        await gate.admit()  # the first tick's one start
        gone = asyncio.create_task(gate.admit())
        kept = asyncio.create_task(gate.admit())
        await asyncio.sleep(0)
        gone.cancel()
        await asyncio.sleep(0)
        gate.observe(0.0)
        await kept
        assert gone.cancelled()
        gate.close()

    asyncio.run(scenario())
