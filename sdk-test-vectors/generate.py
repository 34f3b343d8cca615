#!/usr/bin/env python3
"""Writes the SDKs' shared test vectors, computed here independently of either SDK (Python's hashlib and math).

    python3 sdk-test-vectors/generate.py      # rewrites variants.json and taps.json next to this file

Both SDKs' tests read these files (kiosk-sdk: VariantsTest/TapsTest; kiosk-sdk-js: test/vectors.test.js). Run
it again only when a rule changes, and say why in the commit: a changed vector means changed assignments.
"""
import hashlib
import json
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def h32(unit, experiment):
    """First 4 bytes of SHA-256(UTF-8(unit + ":" + experiment)), unsigned big-endian."""
    return int.from_bytes(hashlib.sha256(f"{unit}:{experiment}".encode("utf-8")).digest()[:4], "big")


def assign(unit, experiment, variants):
    total = sum(w for _, w in variants)
    point = h32(unit, experiment) * total >> 32      # floor(h * W / 2^32), exact in integers
    cumulative = 0
    for name, weight in variants:
        cumulative += weight
        if point < cumulative:
            return name, point
    raise AssertionError("unreachable")


def variant_vectors():
    experiments = [
        ("frameLayout", [["A", 50], ["B", 50]]),
        ("priceTag", [["control", 80], ["badge", 20]]),
        ("filterOrder", [["alpha", 1], ["beta", 1], ["gamma", 1]]),
        ("retired", [["old", 0], ["new", 100]]),
        ("canary", [["off", 1048575], ["on", 1]]),
        ("solo", [["only", 7]]),
        ("tiers", [["a", 5], ["b", 0], ["c", 10], ["d", 85]]),
    ]
    units = ["kiosk-0001", "kiosk-0002", "store-12.kiosk-7", "sim-abc123-00042",
             "0b6f3c1e-7a55-4c1f-9d8e-2f0a4b6c8d10", "9a1b2c3d-0000-4000-8000-000000000000",
             "", "키오스크-서울-01", "kiosk:with:colons", "Ünïcode-ß-😀"]
    rnd = random.Random(20261203)
    for i in range(40):
        units.append("kiosk-%05d" % rnd.randrange(100000))
    cases = []
    for unit in units:
        for name, variants in experiments:
            v, point = assign(unit, name, variants)
            cases.append({"unit": unit, "experiment": name, "variants": variants,
                          "hash": h32(unit, name), "point": point, "expected": v})
    return {
        "spec": "h = first 4 bytes (unsigned, big-endian) of SHA-256(UTF-8(unit + ':' + experiment)); "
                "W = sum of weights; point = floor(h * W / 2^32); variant = first in order whose cumulative "
                "weight > point",
        "generatedBy": "python3 sdk-test-vectors/generate.py (hashlib.sha256)",
        "cases": cases,
    }


def inside(t, x, y):
    return t["left"] <= x < t["left"] + t["width"] and t["top"] <= y < t["top"] + t["height"]


def distance(t, x, y):
    dx = max(t["left"] - x, 0, x - (t["left"] + t["width"]))
    dy = max(t["top"] - y, 0, y - (t["top"] + t["height"]))
    return math.sqrt(dx * dx + dy * dy)


def round1(d):
    x = d * 10                       # the same double product as in Java and JavaScript
    f = math.floor(x)
    return (f + (1 if x - f >= 0.5 else 0)) / 10


def tap(layout, x, y):
    if not (0 <= x < layout["width"] and 0 <= y < layout["height"]):
        hit = "outside"
    elif any(inside(t, x, y) for t in layout["targets"]):
        hit = "success"
    else:
        hit = "miss"
    out = {"x": x, "y": y, "hitResult": hit}
    best, best_d = None, math.inf
    for t in layout["targets"]:
        if inside(t, x, y):
            best, best_d = t, 0.0
            break
        d = distance(t, x, y)
        if d < best_d:
            best, best_d = t, d
    if best is not None:
        if hit == "success":
            out["target"] = best["id"]
        out["nearestTarget"] = best["id"]
        out["distanceToTarget"] = round1(best_d)
    return out


def tap_vectors():
    frames = {"width": 1080, "height": 1920, "targets": [
        {"id": "frame-%d" % i, "left": 60 + (i % 3) * 340, "top": 300 + (i // 3) * 420, "width": 300, "height": 380}
        for i in range(9)] + [{"id": "next", "left": 740, "top": 1700, "width": 280, "height": 140.5}]}
    overlap = {"width": 800, "height": 600, "targets": [
        {"id": "dialog-ok", "left": 300, "top": 300, "width": 200, "height": 80},
        {"id": "backdrop-button", "left": 250, "top": 250, "width": 300, "height": 200}]}
    empty = {"width": 1024, "height": 768, "targets": []}
    points = [(60, 300), (359.9, 679.9), (360, 300), (59, 299), (0, 0), (1079, 1919), (1080, 100), (-1, 5),
              (500, 1920), (1020, 1840.5), (1020, 1840), (10, 10), (1075.25, 960.75), (400, 320), (250, 250),
              (549, 449), (550, 450), (5000, -300), (0.05, 0.05), (364.95, 300)]
    rnd = random.Random(42)
    for _ in range(60):
        points.append((round(rnd.uniform(-50, 1130), 2), round(rnd.uniform(-50, 1970), 2)))
    cases = []
    for name, layout in (("frames", frames), ("overlap", overlap), ("empty", empty)):
        for x, y in points:
            cases.append({"layout": name, "x": x, "y": y, "expected": tap(layout, x, y)})
    return {
        "spec": "inside: left <= x < left+width and top <= y < top+height; outside: not on the screen; success: in a "
                "target (first listed); miss: otherwise. distance to a target's rectangle: sqrt(dx^2+dy^2), 0 inside, "
                "rounded half up to 1 decimal; nearest: smallest distance, first listed on a tie",
        "generatedBy": "python3 sdk-test-vectors/generate.py (math.sqrt)",
        "layouts": {"frames": frames, "overlap": overlap, "empty": empty},
        "cases": cases,
    }


def write(name, data):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    write("variants.json", variant_vectors())
    write("taps.json", tap_vectors())
