"""Dependency graphs of an instrument: cycles, evaluation order, chain depth and reach.

A graph is given as ``edges[node]``: the nodes (positions) that ``node`` reads. Instruments
come from shared repositories, so every function here is iterative (no Python recursion,
however long a chain is) and takes time and memory linear in the graph's size (up to a
logarithm for ordering); nothing keeps a set of nodes per node.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence

__all__ = ["chain_depths", "cycles", "reach", "readers", "topological_order"]


def cycles(edges: Sequence[Sequence[int]]) -> list[list[int]]:
    """The strongly connected components that hold a cycle (several nodes, or one node that
    reads itself), each sorted, ordered by their first node (Tarjan's algorithm, with an
    explicit stack)."""
    count = len(edges)
    number = [-1] * count  # discovery number, -1: not yet visited
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(count):
        if number[root] != -1:
            continue
        number[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, 0)]
        while work:
            node, next_edge = work[-1]
            targets = edges[node]
            if next_edge < len(targets):
                work[-1] = (node, next_edge + 1)
                target = targets[next_edge]
                if number[target] == -1:
                    number[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack[target] = True
                    work.append((target, 0))
                elif on_stack[target]:
                    low[node] = min(low[node], number[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == number[node]:
                component: list[int] = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in targets:
                    found.append(sorted(component))
    return sorted(found)


def readers(edges: Sequence[Iterable[int]], count: int) -> tuple[tuple[int, ...], ...]:
    """The reverse graph over ``count`` nodes: per node, who reads it (each reader once, in
    position order)."""
    result: list[list[int]] = [[] for _ in range(count)]
    for node, targets in enumerate(edges):
        for target in dict.fromkeys(targets):
            result[target].append(node)
    return tuple(tuple(nodes) for nodes in result)


def topological_order(edges: Sequence[Sequence[int]]) -> tuple[int, ...]:
    """Dependencies first, otherwise position order: of the nodes whose dependencies are
    placed, the first by position comes next (Kahn's algorithm with a heap). The graph must
    be acyclic."""
    waiting = [len(set(targets)) for targets in edges]
    ready = [node for node, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    dependents = readers(edges, len(edges))
    order: list[int] = []
    while ready:
        node = heapq.heappop(ready)
        order.append(node)
        for dependent in dependents[node]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(ready, dependent)
    assert len(order) == len(edges), "the graph has a cycle"
    return tuple(order)


def chain_depths(edges: Sequence[Sequence[int]], order: Sequence[int]) -> list[int]:
    """Per node, the number of nodes on the longest chain it starts (1: it reads nothing),
    given a topological ``order``."""
    depth = [1] * len(edges)
    for node in order:
        depth[node] = 1 + max((depth[target] for target in edges[node]), default=0)
    return depth


def reach(starts: Iterable[int], graph: Sequence[Sequence[int]]) -> set[int]:
    """Every node reachable from ``starts`` along ``graph`` (the starts included)."""
    seen = set(starts)
    pending = list(seen)
    while pending:
        for target in graph[pending.pop()]:
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen
