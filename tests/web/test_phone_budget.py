"""What a slow phone connection gets: compressed pages, static files cached for a year."""

from __future__ import annotations

import re

from council.web.static import static_url


def test_pages_are_compressed(client):
    response = client.get("/signin", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"


def test_static_urls_are_fingerprinted_and_immutable(client):
    url = static_url("css/council.css")
    assert re.fullmatch(r"/static/css/council\.[0-9a-f]{12}\.css", url)
    response = client.get(url)
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]
    assert "max-age=31536000" in response.headers["cache-control"]
    assert response.headers["content-type"].startswith("text/css")


def test_a_stale_fingerprint_is_not_cached_for_a_year(client):
    response = client.get("/static/css/council.000000000000.css")
    assert response.status_code == 404


def test_pages_link_only_fingerprinted_assets(client):
    html = client.get("/").text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert assets, "the page links no assets"
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", asset), asset
        assert "immutable" in client.get(asset).headers["cache-control"]
