"""A relying party written with Authlib, independent of the TypeScript one: discovery, the
authorization code flow with PKCE (S256) through FlowShield's login and consent pages (posted as a
browser would), the ID token verified against the provider's JWKS, and userinfo.

Run by test/oidc/authlib.test.ts:
    relying_party.py ISSUER CLIENT_ID REDIRECT_URI EMAIL PASSWORD [TOTP_SECRET [ACR_VALUES]]
With a TOTP secret, the two-step sign-in page is answered with the app's code (pyotp) and
ACR_VALUES goes into the authorization request. Prints one JSON line: the ID token's claims and
userinfo's answer."""

import json
import re
import sys
import time
from html import unescape
from urllib.parse import urljoin

import pyotp
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oauth2.rfc7636 import create_s256_code_challenge


def forms(html):
    """Each form of a page: its action and hidden fields."""
    found = []
    for action, inner in re.findall(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', html, re.S):
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', inner))
        found.append((unescape(action), {k: unescape(v) for k, v in fields.items()}))
    return found


def main(issuer, client_id, redirect_uri, email, password, totp_secret=None, acr_values=None):
    meta = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
    assert meta["issuer"] == issuer, meta["issuer"]
    verifier = generate_token(48)
    client = OAuth2Session(client_id, redirect_uri=redirect_uri, scope="openid email profile", token_endpoint_auth_method="none")
    extra = {"acr_values": acr_values} if acr_values else {}
    url, state = client.create_authorization_url(
        meta["authorization_endpoint"], code_challenge=create_s256_code_challenge(verifier), code_challenge_method="S256", **extra
    )

    browser = requests.Session()
    res = browser.get(url, allow_redirects=False, timeout=10)
    # Through the pages until the provider sends the browser back to the client.
    for _ in range(10):
        location = res.headers.get("location")
        if res.is_redirect and location.startswith(redirect_uri):
            break
        if res.is_redirect:
            res = browser.get(urljoin(url, location), allow_redirects=False, timeout=10)
            continue
        assert res.status_code == 200, (res.status_code, res.text[:300])
        action, fields = forms(res.text)[0]
        if action.endswith("/login"):
            fields.update(email=email, password=password)
        elif action.endswith("/second-step"):
            # The next step's code: the server takes one step either side of now, and the step of
            # now may be spent already (the enrolment's).
            fields.update(code=pyotp.TOTP(totp_secret).at(time.time() + 30))
        res = browser.post(urljoin(url, action), data=fields, allow_redirects=False, timeout=10)
    else:
        raise AssertionError("never sent back to the client")

    token = client.fetch_token(meta["token_endpoint"], authorization_response=location, code_verifier=verifier, state=state)
    keys = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
    claims = jwt.decode(token["id_token"], keys, claims_options={"iss": {"essential": True, "value": issuer}, "aud": {"essential": True, "value": client_id}})
    claims.validate()
    userinfo = client.get(meta["userinfo_endpoint"], timeout=10).json()
    print(json.dumps({"id_token": dict(claims), "alg": claims.header["alg"], "userinfo": userinfo}))


if __name__ == "__main__":
    main(*sys.argv[1:8])
