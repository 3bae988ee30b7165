"""GIHI report builder: data, index method, focus-chapter analytics, charts and narrative."""

__version__ = "0.1.0"
