"""One router shared by Python threads, and reloads while they route."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa

import promptyard

from conftest import REPO


def test_threads_share_one_router(router, prompts):
    expected = [d.to_dict() for d in router.route_batch(prompts)]

    def work(k):
        mine = prompts[k % 4 :: 4]
        got = [router.route(t).to_dict() for t in mine]
        got_batch = [d.to_dict() for d in router.route_batch(mine)]
        return k, got, got_batch

    with ThreadPoolExecutor(8) as pool:
        for k, got, got_batch in pool.map(work, range(8)):
            assert got == expected[k % 4 :: 4]
            assert got_batch == got


def test_reload_under_concurrent_use(prompts, cheap_catalog):
    """Threads route (single, batch, Arrow) while the main thread swaps catalogs and reloads
    the model: every decision comes whole from one of the two states."""
    base = REPO / "models" / "catalog.toml"
    fixed = {
        promptyard.Router(catalog=c).route("x").catalog_fingerprint: promptyard.Router(catalog=c)
        for c in (base, cheap_catalog)
    }
    assert len(fixed) == 2
    shared = promptyard.Router(catalog=base)
    texts = prompts[:30]
    stop = threading.Event()
    errors = []
    seen = set()

    def check(d, text):
        ref = fixed[d.catalog_fingerprint].route(text)
        if d.to_dict() != ref.to_dict():
            errors.append((text[:60], d.to_dict(), ref.to_dict()))
        seen.add(d.catalog_fingerprint)

    def router_thread(kind):
        while not stop.is_set():
            if kind == 0:
                for t in texts:
                    check(shared.route(t), t)
            elif kind == 1:
                for t, d in zip(texts, shared.route_batch(texts)):
                    check(d, t)
            else:
                rows = shared.route_arrow(pa.array(texts)).to_pylist()
                # Arrow rows carry no fingerprint: they must match one state whole.
                refs = [[r.route(t) for t in texts] for r in fixed.values()]
                if not any(
                    all(row["model"] == d.model and row["est_cost_usd"] == d.est_cost_usd
                        for row, d in zip(rows, ref))
                    for ref in refs
                ):
                    errors.append(("arrow batch mixes states",))

    threads = [threading.Thread(target=router_thread, args=(k % 3,)) for k in range(6)]
    for t in threads:
        t.start()
    try:
        for i in range(60):
            shared.reload_catalog(cheap_catalog if i % 2 == 0 else base)
            if i % 10 == 0:
                shared.reload_model(REPO / "models" / "default")
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors[:3]
    assert len(seen) == 2
