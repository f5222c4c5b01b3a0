"""`python -m bench.proxy_bounds`: a small search through the proxy beside large answers.

An in-process upstream answers a search with a 15 MiB JSON body when asked for `big`, with the
contract's example otherwise; the proxy (default settings) sits in front, reached through httpx's
ASGI transport. Figures: the small search alone, then while one and six large answers go through,
as ratios to alone; how long the large answers took; the process's peak RSS growth.
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import time
from typing import Any

import httpx
from kitty_contracts.validation import openapi_document
from kitty_mock_saas.proxy import ValidatingProxy
from kitty_mock_saas.settings import ProxySettings

SEARCH = "/api/v1/tracker/issue-search/"
HEADERS = {"Authorization": "Bearer tok-alice", "X-Team-Slug": "acme"}


def _example(name: str) -> Any:
    operation = openapi_document()["paths"][SEARCH]["post"]
    if name == "request":
        return operation["requestBody"]["content"]["application/json"]["examples"]["text_search"][
            "value"
        ]
    return operation["responses"]["200"]["content"]["application/json"]["examples"]["text_search"][
        "value"
    ]


async def main() -> None:
    small = json.dumps(_example("response")).encode()
    big_answer = json.loads(small)
    big_answer["candidates"][0]["title"] = "x" * (15 * 1024 * 1024)
    big = json.dumps(big_answer).encode()

    async def upstream(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        request = json.loads((await receive())["body"])
        body = big if request.get("query_text") == "big" else small
        head = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": head})
        await send({"type": "http.response.body", "body": body})

    proxy = ValidatingProxy(
        ProxySettings(upstream_url="http://upstream.invalid"),
        transport=httpx.ASGITransport(app=upstream),
    )
    request = _example("request")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=proxy), base_url="http://proxy", timeout=120
    ) as client:

        async def search(text: str) -> float:
            start = time.perf_counter()
            answer = await client.post(
                SEARCH, json={**request, "query_text": text}, headers=HEADERS
            )
            answer.raise_for_status()
            return time.perf_counter() - start

        alone = statistics.median([await search("small") for _ in range(20)])
        for count in (1, 6):
            started = time.perf_counter()
            large = [asyncio.create_task(search("big")) for _ in range(count)]
            await asyncio.sleep(0.05)
            beside = [await search("small") for _ in range(10)]
            await asyncio.gather(*large)
            print(
                f"{count} x 15 MiB: small search median {statistics.median(beside) / alone:.1f}x, "
                f"worst {max(beside) / alone:.1f}x alone ({alone * 1000:.1f} ms); "
                f"the large answers took {time.perf_counter() - started:.1f} s"
            )
    await proxy.aclose()
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    print(f"peak RSS grew {grown:.0f} MB; journal: {proxy.journal.report('')['unchecked_exchanges']}"
          " answers passed on unchecked")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
