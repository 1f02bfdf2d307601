"""The training pages: the public catalogue, enrolment, my learning, self check-in, the centre's
rosters and attendance, certificates, consultations, and reach.

Each view resolves the scope (outside it: 404), validates a form, calls one service and renders a
page or an htmx partial. Lists compute attendance shares and waiting positions in a few grouped
queries, never one per row.
"""
