"""Checks every rendered page must pass: valid HTML, one h1, a title, unique ids,
forms with an action, a label for every input, and no leaked template syntax."""

from __future__ import annotations

import re
from collections import Counter

import html5lib
from bs4 import BeautifulSoup

# Leaked Jinja looks like "{{ name }}" or "{% if": narrow, so a person's own braces pass.
TEMPLATE_SYNTAX = re.compile(r"{{ ?[\w.()\[\]'\"|]+ ?}}|{%-? ?(if|for|set|block|endif|endfor)\b")


class PageCheckError(AssertionError):
    pass


def check_page(html: str, path: str) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(html)
    except Exception as error:  # html5lib raises ParseError subclasses of Exception
        line, col = parser.errors[0][0] if parser.errors else ("?", "?")
        raise PageCheckError(f"{path}: invalid HTML at {line}:{col}: {error}") from error
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    if len(soup.find_all("h1")) != 1:
        problems.append(f"has {len(soup.find_all('h1'))} h1 elements, not 1")
    title = soup.title.get_text(strip=True) if soup.title else ""
    if not title:
        problems.append("has no <title>")
    if soup.html is None or not soup.html.get("lang"):
        problems.append("has no lang attribute on <html>")
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    problems += [f"id {i!r} is used {n} times" for i, n in ids.items() if n > 1]
    for form in soup.find_all("form"):
        if not form.get("action"):
            problems.append("has a form with no action")
        if form.get("method", "get").lower() == "post" and not form.find(
            "input", attrs={"name": "csrf_token"}
        ):
            problems.append("has a POST form without a CSRF token")
    labelled = {label.get("for") for label in soup.find_all("label")}
    for field in soup.find_all(["input", "textarea", "select"]):
        if field.get("type") in ("hidden", "submit", "button"):
            continue
        if field.get("id") not in labelled and not field.get("aria-label"):
            problems.append(f"input {field.get('name')!r} has no label")
    for ref in soup.find_all(attrs={"aria-describedby": True}):
        for target in ref["aria-describedby"].split():
            if target not in ids:
                problems.append(f"aria-describedby points at missing id {target!r}")
    for link in soup.select(".error-summary a[href^='#']"):
        if link["href"][1:] not in ids:
            problems.append(f"error summary links to missing id {link['href']!r}")
    if TEMPLATE_SYNTAX.search(html):
        problems.append("shows template syntax")
    if problems:
        raise PageCheckError(f"{path}: " + "; ".join(problems))
