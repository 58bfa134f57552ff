"""One scenario per seed hub (issue 15): each activates its hub's shipped profile and takes contacts
from the front door to closed through the real services, asserting the hub's own rules and times as
its seed states them, with the seed and section beside each assertion."""
