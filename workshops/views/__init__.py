"""Workshop pages: the public programme, registration, the organiser's and cooperatives' pages."""

from workshops import bp
from workshops.labels import label_globals

bp.context_processor(label_globals)

from workshops.views import cooperative, organiser, public, reports  # noqa: E402, F401
