"""The one bounded cache: newest by last use, computed once per key, told what it drops."""

from textmine.cache import BoundedCache


def test_the_least_recently_used_entry_is_dropped_first_and_each_key_is_computed_once():
    made, dropped = [], []
    cache = BoundedCache(2, on_drop=lambda k, v: dropped.append(k))

    def make(k):
        return lambda: made.append(k) or k.upper()

    assert cache.get("a", make("a")) == "A" and cache.get("b", make("b")) == "B"
    assert cache.get("a", make("a")) == "A"           # a used last: b is now the oldest
    cache.get("c", make("c"))
    assert made == ["a", "b", "c"] and dropped == ["b"]
    assert "a" in cache and "b" not in cache and len(cache) == 2
    assert cache.peek("b") is None and cache.peek("a") == "A"


def test_items_lists_what_is_kept_least_recently_used_first_without_counting_as_a_use():
    cache = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.peek("a")
    assert cache.items() == [("b", 2), ("a", 1)]
    cache.items()
    cache.put("c", 3)                                   # b is still the oldest: listing it was no use
    assert cache.items() == [("a", 1), ("c", 3)]
