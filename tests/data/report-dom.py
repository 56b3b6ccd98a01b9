#!/usr/bin/python3
# Summarise the DOM of `updraft report`'s page (as chromium --dump-dom
# writes it, after the page's script ran) for the t99xx tests: per DAG,
# the grid's cells, the graph's nodes and edges, the runs table's rows in
# order (shown ones; hidden ones apart), its sorted column, the chosen run
# (its grid cells and table row marked) and the run whose details show. Usage: report-dom.py FILE [DAG...]
import sys
from html.parser import HTMLParser

VOID = {"meta", "br", "input", "img", "link", "hr", "col", "source", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], []

    def cls(self):
        return self.attrs.get("class", "").split()

    def all(self, pred):
        for c in self.children:
            if pred(c):
                yield c
            yield from c.all(pred)

    def content(self):
        return "".join(self.text) + "".join(c.content() for c in self.children)


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", [], None)

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.text.append(data)


def tagged(tag, cls=None):
    return lambda n: n.tag == tag and (cls is None or cls in n.cls())


def main():
    tree = Tree()
    with open(sys.argv[1], encoding="utf-8") as f:
        tree.feed(f.read())
    want = sys.argv[2:]
    for sec in tree.root.all(tagged("section", "dag")):
        dag = sec.attrs.get("data-dag")
        if want and dag not in want:
            continue
        print("dag", dag)
        for grid in sec.all(tagged("table", "grid")):
            for tr in grid.all(tagged("tr")):
                th = [c for c in tr.children if c.tag == "th"]
                tds = [c for c in tr.children if c.tag == "td"]
                if not tds:
                    continue
                cells = [td.attrs.get("data-state", "-") for td in tds]
                print("grid", th[0].content().strip() if th else "?",
                      " ".join(cells))
        for svg in sec.all(tagged("svg", "graph")):
            nodes = [g.attrs["data-task"] + ":" + g.cls()[1][3:]
                     for g in svg.all(tagged("g", "node"))]
            print("nodes", " ".join(nodes))
            edges = [p.attrs["data-from"] + ">" + p.attrs["data-to"]
                     for p in svg.all(tagged("path", "edge"))]
            print("edges", " ".join(edges))
        for table in sec.all(tagged("table", "runs")):
            for th in table.all(tagged("th")):
                if "aria-sort" in th.attrs:
                    print("sorted", th.attrs["data-field"],
                          th.attrs["aria-sort"])
            rows = list(table.all(tagged("tr")))[1:]
            print("rows", " ".join(r.attrs["data-run"] for r in rows
                                   if "hidden" not in r.attrs))
            print("hidden", " ".join(r.attrs["data-run"] for r in rows
                                     if "hidden" in r.attrs))
        cells = [td for td in sec.all(tagged("td", "chosen"))]
        chosen = [r.attrs["data-run"] for r in sec.all(tagged("tr", "chosen"))]
        if cells or chosen:
            print("chosen", len(cells), "cells,", "row", " ".join(chosen))
        for c in sec.all(tagged("span", "count")):
            print("count", c.content())
        for d in sec.all(tagged("section", "detail")):
            if "hidden" not in d.attrs:
                bars = [g.attrs["data-task"] + ":" + g.cls()[1][3:]
                        for g in d.all(tagged("g", "bar"))]
                print("detail", d.attrs["data-run"], " ".join(bars))


main()
