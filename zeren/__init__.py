"""Zeren (责任): the self-assessment of internet platforms' social responsibility."""

__version__ = "0.1.0"
