from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from marac.agencies.models import Agency, Role
from marac.maracs.models import Marac

from ..fields import DateTimeField
from ..serializers import StrictModelSerializer, StrictSerializer

User = get_user_model()


class AgencySerializer(StrictModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind"]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    full_name = serializers.CharField(help_text="First and last name; empty when neither is recorded.")
    agency = AgencySerializer(source="membership.agency", allow_null=True)
    role = serializers.ChoiceField(choices=Role.choices, source="membership.role", allow_null=True)
    is_platform_admin = serializers.BooleanField(source="is_superuser")

    def to_representation(self, user):
        data = {"id": user.pk, "username": user.username, "first_name": user.first_name,
                "last_name": user.last_name, "full_name": user.get_full_name(), "agency": None, "role": None,
                "is_platform_admin": user.is_superuser}
        membership = getattr(user, "membership", None)
        if membership is not None:
            data["agency"] = AgencySerializer(membership.agency).data
            data["role"] = membership.role
        return data


class UserSerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    email = serializers.EmailField(required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True,
                                      help_text="First and last name; empty when neither is recorded.")
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), source="membership.agency")
    role = serializers.ChoiceField(choices=Role.choices, source="membership.role")
    maracs = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Marac.objects.all(), source="membership.maracs", required=False,
        help_text="The MARACs a coordinator or chair serves (their reach); empty for other roles. Set by platform "
                  "administrators: required for a coordinator or chair when more than one MARAC is active, "
                  "the only active one when not sent.")
    is_active = serializers.BooleanField(read_only=True)

    def validate_username(self, value):
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError("A user with that username already exists.")
        return value

    def validate(self, attrs):
        # The person's names too: a password that resembles them is refused.
        candidate = User(username=attrs["username"], email=attrs.get("email", ""),
                         first_name=attrs.get("first_name", ""), last_name=attrs.get("last_name", ""))
        try:
            validate_password(attrs["password"], candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)})
        return attrs


class UserUpdateSerializer(StrictSerializer):
    """PATCH /users/{id}/: deactivate (`is_active: false`, which revokes the account's
    tokens and sessions at once), reactivate, or correct the email or names. Answers with the user."""

    is_active = serializers.BooleanField(required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    maracs = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Marac.objects.all(), required=False,
        help_text="The MARACs a coordinator or chair serves (platform administrators only).")

    def to_representation(self, instance):
        return UserSerializer(instance, context=self.context).data


class TokenRequestSerializer(StrictSerializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once: only a digest of it is stored.")
    expiry = DateTimeField(allow_null=True, help_text="When the token stops working (MARAC_TOKEN_TTL).")
