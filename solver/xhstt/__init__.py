"""XHSTT (XML high school timetabling) archives: reader, evaluator and CP-SAT solver."""
