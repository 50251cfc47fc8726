"""The web console (质检控制台): a static single-page app over the public HTTP API.

The pages are plain HTML, CSS and JavaScript modules served from this package; they call
`/api/v1/...` with the user's bearer token like any other client, so the console can do
nothing the API would refuse. ECharts is vendored from the npm registry by
`scripts/setup` (`scripts/vendor.sh`) into `static/vendor/`; nothing is fetched from a CDN
at run time.
"""

from __future__ import annotations

from hegui.web.mount import CONSOLE_PATH, mount_console

__all__ = ["CONSOLE_PATH", "mount_console"]
