"""The booking pages: resources and their calendars, booking, my bookings, staff tools, iCal feeds.

Each view resolves the scope (outside it: 404), validates a form, calls one service and renders
a page or an htmx partial. Times are the park's: pages of one resource render inside
`timezone.override(zone(resource))`; lists that span parks carry naive local times (`b.start`, `b.end`).
"""
