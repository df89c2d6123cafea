"""One constructor per finding code, named after it, grouped by family.

Each constructor decides its code's severity from the facts it is given and
supplies the parameters its words need (`checks.codes.SPECS` lists them), so
a code's rule, parameters and words are found from one name. What to report
at all is decided in `checks.judge`; what the CA said, in `checks.acme.answers`.
"""
