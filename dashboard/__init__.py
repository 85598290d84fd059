"""1000 Miglia route dashboard: route maps and standings of the Brescia–Roma–Brescia race."""

__version__ = "0.1.0"
