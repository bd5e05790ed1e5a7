"""Incident science with no Django: distances and proximity in space and time, duplicate
scoring, clusters, and the response indicators."""
