"""Cooperatives (the registry). The booths helper adds applications, stalls and badges here."""

from core.extensions import db
from core.timeutil import utc_now
from markets.territory import province_code_default

# The three forms of Law 112-12 (cooperative, union and federation of cooperatives), then the other
# bodies of the social and solidarity economy that exhibit at the markets.
LEGAL_FORMS = (
    "cooperative",
    "cooperative_union",
    "cooperative_federation",
    "social_enterprise",
    "association",
    "economic_interest_group",
)
SECTORS = (
    "honey",
    "figs_dried_fruit",
    "medicinal_herbs",
    "olive_oil",
    "argan",
    "couscous_cereals",
    "dairy",
    "carpentry_wood",
    "sewing_textiles",
    "pottery",
    "carpets",
    "other",
)
FOOD_SECTORS = {
    "honey",
    "figs_dried_fruit",
    "medicinal_herbs",
    "olive_oil",
    "argan",
    "couscous_cereals",
    "dairy",
}
AGREEMENT_STATUSES = ("applicant", "under_review", "signed", "suspended")

# The cooperative's columns as people type and exchange them, in file order: the one list the
# registry form, the CSV import and the CSV export all read. Flags: `required` in an imported
# file; a whole `number`; `on_form` (the form derives the province from the city, and the
# agreement status moves by its own steps, so both stay off the form).
COOPERATIVE_COLUMNS = (
    # (name, required, number, on_form)
    ("registration_number", True, False, True),
    ("name_ar", False, False, True),
    ("name_latin", True, False, True),
    ("legal_form", False, False, True),
    ("province", False, False, False),
    ("city", True, False, True),
    ("sectors", True, False, True),
    ("products", False, False, True),
    ("members", False, True, True),
    ("women_members", False, True, True),
    ("young_members", False, True, True),
    ("contact_name", False, False, True),
    ("phone", False, False, True),
    ("email", False, False, True),
    ("bank_account", False, False, True),
    ("ice", False, False, True),
    ("odco_number", False, False, True),
    ("registration_court", False, False, True),
    ("agreement_status", False, False, False),
)
COOPERATIVE_FILE_COLUMNS = tuple(name for name, *_ in COOPERATIVE_COLUMNS)
COOPERATIVE_REQUIRED_COLUMNS = tuple(name for name, required, *_ in COOPERATIVE_COLUMNS if required)
COOPERATIVE_NUMBER_COLUMNS = tuple(name for name, _r, number, _f in COOPERATIVE_COLUMNS if number)
COOPERATIVE_FORM_FIELDS = tuple(name for name, *_r, on_form in COOPERATIVE_COLUMNS if on_form)


def cooperative_name(name_latin, name_ar, language):
    """The name a person reads: the Arabic one on Arabic pages when the cooperative has one (the
    rule of the model and of the reports, which read names as plain rows)."""
    return name_ar if language == "ar" and name_ar else name_latin


def is_led_by(group_members, members):
    """A cooperative is women-led (or youth-led: members under 35) when that group makes up at
    least half of its members."""
    return members > 0 and group_members * 2 >= members


class Cooperative(db.Model):
    __tablename__ = "cooperatives"

    id = db.Column(db.Integer, primary_key=True)
    name_ar = db.Column(db.String(300), nullable=False)
    name_latin = db.Column(db.String(300), nullable=False)
    legal_form = db.Column(db.String(40), nullable=False, default="cooperative")
    registration_number = db.Column(db.String(60), nullable=False, unique=True)
    province = db.Column(db.String(120), nullable=False, index=True)  # its French name
    # ISO 3166-2:MA code (markets/territory.py); derived from the name when a loader gives only that.
    province_code = db.Column(
        db.String(6), nullable=False, index=True, default=province_code_default
    )
    city = db.Column(db.String(120), nullable=False)
    latitude = db.Column(db.Float, nullable=True)
    longitude = db.Column(db.Float, nullable=True)
    sectors = db.Column(db.JSON, nullable=False, default=list)  # codes from SECTORS, first = main
    main_sector = db.Column(db.String(40), nullable=False, index=True)
    products = db.Column(db.Text, nullable=False, default="")
    members = db.Column(db.Integer, nullable=False, default=0)
    women_members = db.Column(db.Integer, nullable=False, default=0)
    young_members = db.Column(db.Integer, nullable=False, default=0)  # under 35
    contact_name = db.Column(db.String(200), nullable=False, default="")
    phone = db.Column(db.String(40), nullable=False, default="")
    email = db.Column(db.String(200), nullable=True)
    bank_account = db.Column(db.String(24), nullable=True)  # Moroccan RIB, 24 digits
    ice = db.Column(db.String(15), nullable=True)  # Identifiant commun de l'entreprise
    odco_number = db.Column(db.String(30), nullable=True)  # ODCO central register
    registration_court = db.Column(db.String(40), nullable=True)  # booths/data/courts.csv code
    agreement_status = db.Column(db.String(20), nullable=False, default="applicant", index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    __table_args__ = (
        db.CheckConstraint(
            "women_members >= 0 AND young_members >= 0 AND women_members <= members "
            "AND young_members <= members",
            name="member_counts",
        ),
    )

    def display_name(self, language="fr"):
        return cooperative_name(self.name_latin, self.name_ar, language)

    @property
    def women_led(self):
        return is_led_by(self.women_members, self.members)

    @property
    def youth_led(self):
        return is_led_by(self.young_members, self.members)

    def __repr__(self):
        return f"<Cooperative {self.registration_number} {self.name_latin}>"


class AgreementChange(db.Model):
    """One dated step of a cooperative's partnership agreement (applicant → ... → signed)."""

    __tablename__ = "agreement_changes"

    id = db.Column(db.Integer, primary_key=True)
    cooperative_id = db.Column(
        db.Integer, db.ForeignKey("cooperatives.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_status = db.Column(db.String(20), nullable=True)
    to_status = db.Column(db.String(20), nullable=False)
    note = db.Column(db.Text, nullable=False, default="")
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    changed_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    cooperative = db.relationship("Cooperative", back_populates="agreement_history")

    def __repr__(self):
        return f"<AgreementChange {self.cooperative_id} {self.from_status}->{self.to_status}>"


Cooperative.agreement_history = db.relationship(
    AgreementChange,
    back_populates="cooperative",
    order_by=(AgreementChange.changed_at, AgreementChange.id),
    cascade="all, delete-orphan",
)

STALL_TYPES = ("standard", "double", "demonstration")
# Width × depth in metres of each stall type.
STALL_SIZES = {"standard": (3.0, 3.0), "double": (6.0, 3.0), "demonstration": (6.0, 6.0)}
NEEDS = ("electricity", "water", "shade", "ground_access")
APPLICATION_STATUSES = ("pending", "approved", "waitlisted", "rejected")
BADGE_ROLES = ("representative", "helper", "speaker")
ZONES = ("food", "crafts", "demonstration")


def zone_for(main_sector, stall_type):
    """The zone a stall request belongs to: demonstrations apart, then food or crafts."""
    if stall_type == "demonstration":
        return "demonstration"
    return "food" if main_sector in FOOD_SECTORS else "crafts"


class Application(db.Model):
    """A cooperative's request for a stall at one site."""

    __tablename__ = "applications"

    id = db.Column(db.Integer, primary_key=True)
    cooperative_id = db.Column(
        db.Integer, db.ForeignKey("cooperatives.id"), nullable=False, index=True
    )
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False, index=True)
    stall_type = db.Column(db.String(20), nullable=False, default="standard")
    needs = db.Column(db.JSON, nullable=False, default=list)
    products = db.Column(db.Text, nullable=False, default="")
    representatives = db.Column(db.JSON, nullable=False, default=list)  # [{"name", "phone"}]
    status = db.Column(db.String(20), nullable=False, default="pending", index=True)
    reason = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    decided_at = db.Column(db.DateTime, nullable=True)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    # Waitlisted by the allocation (no stall fitted), not by an organiser's decision: the next
    # allocation run considers it again.
    waitlisted_by_allocation = db.Column(db.Boolean, nullable=False, default=False)

    cooperative = db.relationship("Cooperative")
    site = db.relationship("Site")
    stall = db.relationship("Stall", back_populates="application", uselist=False)

    __table_args__ = (
        db.UniqueConstraint("cooperative_id", "site_id"),
        db.CheckConstraint(
            "stall_type IN ('standard', 'double', 'demonstration')", name="stall_type"
        ),
        db.CheckConstraint(
            "status IN ('pending', 'approved', 'waitlisted', 'rejected')", name="status"
        ),
    )

    def __repr__(self):
        return f"<Application {self.cooperative_id}@{self.site_id} {self.status}>"


def stall_type_of(width_m, depth_m):
    """A stall of at least 6 × 6 m is a demonstration space, 6 × 3 a double, else standard."""
    if width_m >= 6 and depth_m >= 6:
        return "demonstration"
    if max(width_m, depth_m) >= 6:
        return "double"
    return "standard"


class FloorPlan(db.Model):
    """The ground of a site where stalls are laid out: a rectangle in metres."""

    __tablename__ = "floor_plans"

    id = db.Column(db.Integer, primary_key=True)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False, unique=True)
    width_m = db.Column(db.Float, nullable=False)
    depth_m = db.Column(db.Float, nullable=False)
    aisle_m = db.Column(db.Float, nullable=False, default=3.0)
    updated_at = db.Column(db.DateTime, nullable=False, default=utc_now, onupdate=utc_now)

    site = db.relationship("Site")

    __table_args__ = (
        db.CheckConstraint("width_m > 0 AND depth_m > 0 AND aisle_m >= 0", name="size_positive"),
    )

    def __repr__(self):
        return f"<FloorPlan site={self.site_id} {self.width_m}x{self.depth_m}>"


class Stall(db.Model):
    """A stall on a site's floor plan: position of its corner and size in metres."""

    __tablename__ = "stalls"

    id = db.Column(db.Integer, primary_key=True)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False, index=True)
    code = db.Column(db.String(20), nullable=False)
    x_m = db.Column(db.Float, nullable=False)
    y_m = db.Column(db.Float, nullable=False)
    width_m = db.Column(db.Float, nullable=False)
    depth_m = db.Column(db.Float, nullable=False)
    zone = db.Column(
        db.String(20), nullable=False, default="crafts"
    )  # food | crafts | demonstration
    amenities = db.Column(db.JSON, nullable=False, default=list)  # subset of NEEDS
    pinned = db.Column(db.Boolean, nullable=False, default=False)
    application_id = db.Column(
        db.Integer,
        db.ForeignKey("applications.id", ondelete="SET NULL"),
        nullable=True,
        unique=True,
    )

    site = db.relationship("Site")
    application = db.relationship("Application", back_populates="stall")

    __table_args__ = (
        db.UniqueConstraint("site_id", "code"),
        db.CheckConstraint("width_m > 0 AND depth_m > 0", name="size_positive"),
        db.CheckConstraint("x_m >= 0 AND y_m >= 0", name="position_positive"),
    )

    @property
    def area_m2(self):
        return self.width_m * self.depth_m

    @property
    def stall_type(self):
        """The application type this stall fits: standard, double or demonstration."""
        return stall_type_of(self.width_m, self.depth_m)

    def __repr__(self):
        return f"<Stall {self.code} site={self.site_id}>"


class Badge(db.Model):
    """An exhibitor badge: one person of a cooperative at one site, with a signed QR token."""

    __tablename__ = "badges"

    id = db.Column(db.Integer, primary_key=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=False, index=True)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False, index=True)
    cooperative_id = db.Column(
        db.Integer, db.ForeignKey("cooperatives.id"), nullable=False, index=True
    )
    application_id = db.Column(
        db.Integer, db.ForeignKey("applications.id", ondelete="SET NULL"), nullable=True, index=True
    )
    person_name = db.Column(db.String(200), nullable=False)
    person_phone = db.Column(db.String(40), nullable=False, default="")
    role = db.Column(db.String(40), nullable=False, default="representative")
    stall_id = db.Column(
        db.Integer, db.ForeignKey("stalls.id", ondelete="SET NULL"), nullable=True, index=True
    )
    token_id = db.Column(db.String(16), nullable=False, unique=True, index=True)
    code = db.Column(db.Text, nullable=False)
    revoked_at = db.Column(db.DateTime, nullable=True)
    replaces_id = db.Column(db.Integer, db.ForeignKey("badges.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    edition = db.relationship("Edition")
    site = db.relationship("Site")
    cooperative = db.relationship("Cooperative")
    application = db.relationship("Application")
    stall = db.relationship("Stall")

    @property
    def revoked(self):
        return self.revoked_at is not None

    def __repr__(self):
        return f"<Badge {self.token_id} {self.person_name}>"
