"""A MARAC: one conference (usually one per local authority or district). Referrals,
cases and meetings belong to one; coordinators and chairs serve one or more
(`Membership.maracs`), and their reach is the MARACs they serve."""

from django.db import models


class Marac(models.Model):
    name = models.CharField(max_length=200, unique=True)
    local_area = models.CharField(max_length=200, blank=True)
    confidentiality_statement = models.TextField(
        blank=True, help_text="What this MARAC's minutes and packs carry; blank: the deployment's statement.")
    # SafeLives' volume benchmark: referrals expected per 10,000 adult women a year.
    adult_female_population = models.PositiveIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "MARAC"
        verbose_name_plural = "MARACs"

    def __str__(self):
        return self.name


class BelongsToMarac:
    """Referrals, cases and meetings: saved without a MARAC, they belong to the only
    active one (code that names none in a one-MARAC deployment keeps working; with
    several, the database refuses the row, the services having asked first)."""

    def save(self, *args, **kwargs):
        if self.marac_id is None:
            from .services import default_marac_id

            self.marac_id = default_marac_id()
        super().save(*args, **kwargs)
