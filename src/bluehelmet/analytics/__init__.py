"""Pure-Python analysis: no Django here. Takes and returns plain values and data frames."""
