// After django-otp-webauthn registers a key, go back to the list of second factors.
document.addEventListener("otp_webauthn.register_complete", function () {
  var area = document.getElementById("passkey-register-area");
  window.location.href = (area && area.dataset.doneUrl) || "/accounts/2fa/";
});
