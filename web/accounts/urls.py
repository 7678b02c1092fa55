from django.urls import path

from .views import AccountView, ChangePasswordView, SignInView, SignOutView

urlpatterns = [
    path("sign-in/", SignInView.as_view(), name="sign-in"),
    path("sign-out/", SignOutView.as_view(), name="sign-out"),
    path("account/", AccountView.as_view(), name="account"),
    path("account/password/", ChangePasswordView.as_view(), name="account-password"),
]
