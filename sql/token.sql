--
-- token: paragon_verify_jws and paragon_verify_token
--
-- Keys and tokens come from test/fixtures (make-tokens.sh; RFC 7515
-- Appendix A for the rfc7515-* rows) and are held here as literals, so the
-- output never depends on that script.  Every check judges at a fixed
-- instant ("at"), never at now().  The test tokens were issued at
-- 2026-01-01 00:00:00+00 and expire one hour later.
--
-- Each refusal is followed by its SQLSTATE: 28000 when the token is
-- refused, 22023 when the caller's key or options are wrong.
--
-- IF NOT EXISTS: earlier tests of the suite may have created it already.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS paragon_perm;
RESET client_min_messages;
SET timezone = 'UTC';
\set VERBOSITY default
-- the RSA 2048 public key, read from test/fixtures/keys (pg_regress runs
-- psql in a directory that holds test/fixtures)
\set rsa2048_public `cat test/fixtures/keys/rsa2048-public.pem`

CREATE TABLE token_keys (name text PRIMARY KEY, key text NOT NULL);
CREATE TABLE token_tokens (name text PRIMARY KEY, token text NOT NULL);

INSERT INTO token_keys VALUES
('rsa-spki', :'rsa2048_public'),
('rsa-pkcs1', '-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEA27slHP0jJ96X5kCq2tvlko7vJItFKeM/dt40lRM3SXAhXxaMJIrY
j5CppsbxvFdgwJHfdnbM9rGP6Kgu4wlfeGimIyaM7dyqqver6kfGrXJCnLmznXde
zmOAcuJUPx25UEE94x5j+gX2k6EqnPsktkkAZDa3B1UM5aZ0ylcF1Mqn/49kMini
WFpXHqbx7qKAT/erles0xev/LN1daaeAUBGlUF/XugHzpK/Lj1LalUOWYKozGITV
Av43FI2JiGY4R4MwEGykpdajx4BRipo+P0eXsIg2Zdh7AuIILaxKIdzQqkFxbGqT
P8BtLnjhWjesRlspF80hFw5BgXlp+Z/ZGQIDAQAB
-----END RSA PUBLIC KEY-----'),
('rsa-cert', '-----BEGIN CERTIFICATE-----
MIIDGzCCAgOgAwIBAgIUbeAF1apCfmbpx5SSXLNnIP9kC90wDQYJKoZIhvcNAQEL
BQAwHDEaMBgGA1UEAwwRcGFyYWdvbl9wZXJtIHRlc3QwIBcNMjYxMTI5MDg0MTEz
WhgPMjEyNjExMDUwODQxMTNaMBwxGjAYBgNVBAMMEXBhcmFnb25fcGVybSB0ZXN0
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA27slHP0jJ96X5kCq2tvl
ko7vJItFKeM/dt40lRM3SXAhXxaMJIrYj5CppsbxvFdgwJHfdnbM9rGP6Kgu4wlf
eGimIyaM7dyqqver6kfGrXJCnLmznXdezmOAcuJUPx25UEE94x5j+gX2k6EqnPsk
tkkAZDa3B1UM5aZ0ylcF1Mqn/49kMiniWFpXHqbx7qKAT/erles0xev/LN1daaeA
UBGlUF/XugHzpK/Lj1LalUOWYKozGITVAv43FI2JiGY4R4MwEGykpdajx4BRipo+
P0eXsIg2Zdh7AuIILaxKIdzQqkFxbGqTP8BtLnjhWjesRlspF80hFw5BgXlp+Z/Z
GQIDAQABo1MwUTAdBgNVHQ4EFgQUVRiH3C0DADvGQfHvJoMoutTvq+AwHwYDVR0j
BBgwFoAUVRiH3C0DADvGQfHvJoMoutTvq+AwDwYDVR0TAQH/BAUwAwEB/zANBgkq
hkiG9w0BAQsFAAOCAQEAo+e4swE7VddhQfI+e8iSk5dKgOZm8j9AedpfHBV8aIY9
PjknVFIZAgB///y8E+0C381cuvbPUOi+Y/KSeQKqD8Neb265n6g9PCe4IhXIhcCs
f8fDIEP7EUnBehgG33B3QjKkyTzFZKPpMF5v9kSNlnfk5z8XN9TcsmsoyO2CcXsv
VLfBXdAP2txFKgYtH2ZcxEOj237m3fcpv64hDiwxveNWaXqemHouUNp5Az8DdqGz
10vSkXV/vuJ4woULWWvCL+pPQFb+d2DKDvC5gmnUIhDI/mplbXgEC6FM+27879zT
hG9W77g61kmpJ7L+/9dxtteCR+raa6go9QWy0vQ61w==
-----END CERTIFICATE-----'),
('rsa-jwk', '{"kty":"RSA","kid":"rsa-1","use":"sig","alg":"RS256","n":"27slHP0jJ96X5kCq2tvlko7vJItFKeM_dt40lRM3SXAhXxaMJIrYj5CppsbxvFdgwJHfdnbM9rGP6Kgu4wlfeGimIyaM7dyqqver6kfGrXJCnLmznXdezmOAcuJUPx25UEE94x5j-gX2k6EqnPsktkkAZDa3B1UM5aZ0ylcF1Mqn_49kMiniWFpXHqbx7qKAT_erles0xev_LN1daaeAUBGlUF_XugHzpK_Lj1LalUOWYKozGITVAv43FI2JiGY4R4MwEGykpdajx4BRipo-P0eXsIg2Zdh7AuIILaxKIdzQqkFxbGqTP8BtLnjhWjesRlspF80hFw5BgXlp-Z_ZGQ","e":"AQAB"}'),
('jwks', '{"keys":[{"kty":"RSA","kid":"rsa-1","n":"27slHP0jJ96X5kCq2tvlko7vJItFKeM_dt40lRM3SXAhXxaMJIrYj5CppsbxvFdgwJHfdnbM9rGP6Kgu4wlfeGimIyaM7dyqqver6kfGrXJCnLmznXdezmOAcuJUPx25UEE94x5j-gX2k6EqnPsktkkAZDa3B1UM5aZ0ylcF1Mqn_49kMiniWFpXHqbx7qKAT_erles0xev_LN1daaeAUBGlUF_XugHzpK_Lj1LalUOWYKozGITVAv43FI2JiGY4R4MwEGykpdajx4BRipo-P0eXsIg2Zdh7AuIILaxKIdzQqkFxbGqTP8BtLnjhWjesRlspF80hFw5BgXlp-Z_ZGQ","e":"AQAB"},{"kty":"EC","kid":"ec-1","crv":"P-256","x":"LrmdlW_vvNluUojrUrOHGWYnbWZ6eP-zCl3oIbaCm38","y":"dbiQoJEzXra0WraLy60a47JrwmjwyJKUqO3faKVMuBE"},{"kty":"OKP","kid":"ed-1","crv":"Ed25519","x":"1IHVJmVtjKn9HBuUdKSkQugmI9WP8i3K25jf8Z8sCjI"}]}'),
('ec-spki', '-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAELrmdlW/vvNluUojrUrOHGWYnbWZ6
eP+zCl3oIbaCm391uJCgkTNetrRatovLrRrjsmvCaPDIkpSo7d9opUy4EQ==
-----END PUBLIC KEY-----'),
('ec-jwk', '{"kty":"EC","kid":"ec-1","crv":"P-256","x":"LrmdlW_vvNluUojrUrOHGWYnbWZ6eP-zCl3oIbaCm38","y":"dbiQoJEzXra0WraLy60a47JrwmjwyJKUqO3faKVMuBE"}'),
('ed-spki', '-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA1IHVJmVtjKn9HBuUdKSkQugmI9WP8i3K25jf8Z8sCjI=
-----END PUBLIC KEY-----'),
('ed-jwk', '{"kty":"OKP","kid":"ed-1","crv":"Ed25519","x":"1IHVJmVtjKn9HBuUdKSkQugmI9WP8i3K25jf8Z8sCjI"}'),
('rsa1024-spki', '-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDjFKOaYS+VTLstCqBWhF38VhCL
p1m7mZlLPzbk4jNdTjxT75V7pj1bsv79IYhn7MVvTPW91PRR+EV4CAD2UKiMAtZ/
XLq0011WPLESO04jYDkFF9q5WpfDMBj72YDoPSc+5p+jwDciI2EhjL2QM3gjDLy9
bMaymmQ1js85MSsNUwIDAQAB
-----END PUBLIC KEY-----'),
('rfc7515-a2-spki', '-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAofgWCuLjybRlzo0tZWJj
NiuSfb4p4fAkd/wWJcyQoTbji9k0l8W26mPddxHmfHQp+Vaw+4qPCJrcS2mJPMEz
P1Pt0Bm4d4QlL+yRT+SFd2lZS+pCgNMsD1W/YpRPEwOWvG6b32690r2jZ47soMZo
9wGzjb/7OMg0LOL+bSf63kpaSHSXndS5z5rexMdbBYUsLA9e+KXBdQOS+UTo7WTB
EMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6/I5IhlJH7aGhyxX
FvUK+DWNmoudF8NAco9/h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXp
oQIDAQAB
-----END PUBLIC KEY-----'),
('rfc7515-a2-jwk', '{"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"}'),
('rfc7515-a3-spki', '-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV7
6e8Tus9uPHvRVEXH8UTNG72bfocs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==
-----END PUBLIC KEY-----'),
('rfc7515-a3-jwk', '{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}');

INSERT INTO token_tokens VALUES
('rs256',
 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InJzYS0xIn0.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJwYXJhZ29uLXRlc3QiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9ucyI6eyJpbnRlZ3JhdGlvbjoqIjp0cnVlfX0.WDl9J_ow7UKPAQtgh8pj9rgKMpBdoqqO0SNvlUyAXWqxIORdsD5pWC9xUyxWQgDQcFxyP5bYDHJiwZWgu3phFzUdZ4TZBDXKx2j0FrEnBQ-LX_GIGBHlOmQQ9zWjWjvqgUhmUJ2LjkubVYSuR-2HyEW2DXZ2YoRCfl_MrVaO2WKuc4tYQjA6W86tAHAXZPdEdjG8I1K-VAG47scTAlUGJCml1xhZ3FRwNE1NV-0sz_2pT23QDSlE61nwG47iFz7vWe4A2MYo1ygYZl9HhbySeIzPEnBxVevEg_7mA_NoTUhYzbW_8pweCe2cvz78Uo1t7ZC0U3YK2iEbKSXHEQmSuQ'),
('ps256',
 'eyJhbGciOiJQUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTIiLCJhdWQiOlsib3RoZXIiLCJwYXJhZ29uLXRlc3QiXSwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjE3NjcyMjkyMDB9.KtoNl11CrgUiYrrYfA92YWSW9lJjK99NF-BQXvcIYViYl56xtwSeO8d8lWyUvzYI1GTr55so9xKTWEN5D61zb_RYE13xh4_aGjXHoAzdS-AFVwouDn2tNI6SQDwYYZh1-Sh6dh5Kz1O-vUfZsAtSV_8wkVfmmo_EvyTlgMsGvIRYYc9Wj-IHWuSAey79iWtmYhNMcy__guOv4j20N9ywmwuh5cNBIbyDVLmsm8En-_PvUkUbcKu0Hsfw8Ilh3cjjnX_IixdQx6XnvMmLEOoGIhEpGvhXzzMC4VXHJ1k6pS07AnVw7GbYeWPPxlrbfAfFO1BZYSAVC-PolCRlIqBwFA'),
('es256',
 'eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImVjLTEifQ.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJwYXJhZ29uLXRlc3QiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9ucyI6eyJpbnRlZ3JhdGlvbjoqIjp0cnVlfX0.gNat01NoZDoEFL3FRKH1px36DPnKBaarzHhJpV90SLmpF6d2wCR1G0g_SBU0HbLwnyCgV3cMF6CdUc-QK9zFOg'),
('eddsa',
 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCIsImtpZCI6ImVkLTEifQ.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJwYXJhZ29uLXRlc3QiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9ucyI6eyJpbnRlZ3JhdGlvbjoqIjp0cnVlfX0.HObfJuPKnu3os0_DlRO1mlita0jTqBmYt7UEuUPL6aL79svxTLlmLdsZQybOLfSCGf8WXEbPi2Y7E5XsWTeBBA'),
('noexp',
 'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.eyJzdWIiOiJ1c2VyLTEiLCJpYXQiOjE3NjcyMjU2MDB9.axaWJEQ13K0IIs-r3_Sp-gBHzcpEzIcbQTK11EJoLMhMvuC9UlZKGeWELXMQmToijzPMWjC4A5jfuImRvYlDX6u2POJQFSx9AT7HkpeOz9lOOzDeqtNipCafwSgLc1Mcx-vo_Hi45NuBjzPQunWw1smOfGwu0VMlOtZ1XTAauz4ZeiD4dRy-bElKMwe4BmUqVrzxumf4Bj1YbYDYvI2x5nni_2XXNobRSv_DbWf5Ors0Xdt-ah69AQbgxRn8J39AGiiWY3Fe0VfDWz_aHy5I_2bQIuu32iHdwb8sIaWa1OmVS3JsLAJ67aeOelkDYvBqy6t901eE842Dmatdomw08g'),
('nbf',
 'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.eyJzdWIiOiJ1c2VyLTEiLCJuYmYiOjE3NjcyMzI4MDAsImV4cCI6MTc2NzI0MDAwMH0.az_ZFcbRftek7GP92BdzXzImG_v5vCrVXXYODFOSJV_YbY-Bg4ijzCdgdUk1lfWBrvO2ER1s5i40KFE8cBSnrDkDRPRql4MCMQiK1lBojnd4bfd0TXuZMwf-EtYVIf5fJikCHKQJij69x1-0-_IIa961Evie9kWyamkf3nEKPal2CFfz8cfSeWN7TezY8H7F0E8lzR3XF_GjnFsmwEdPxkw9tCa4JoEoKb1FY5H3EYh8zRzhbd_qV9QdwU8Pd8w5FzK1OOJQqM104fKc0tH1O9hGhGrTtFbmB56fHNo9NtH99kQV2OYQvbtMod5cdPunn8NwNR60e95fStpE1F1MSA'),
('notjson',
 'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.Tm90IGEgSlNPTiBvYmplY3Qu.nBHBXuUPeM7pPWTwFna0mlWP7vL7TT8Co-wDhQtSU1NlDQdG1dEO5llf3TOMaWcAvNMEMi7NuhybUbflyXznNh70H2NOne-htulsXhojGipzzU4mpcBfjrNRowQyHJ9GXaABPkU8YtVrY33isW1QQx6vVauvFSPyE9Rn7C5O3NLng6UBo50nxcVfcUXvThhlNeDxtp10WCGARsI6LICecVVe3RrWLI9g_4AMf_YjyHH-nPfBBUCTEBQ7bVKGQqCedWxK8-r4nRJS2TF56PbAKAokQVXv0JzSnGcxPYyBBcf98hZEwRUGQWVfPZY8YT3JRvTuQXkeOQBcZm86uADDiQ'),
('none',
 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJwYXJhZ29uLXRlc3QiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9ucyI6eyJpbnRlZ3JhdGlvbjoqIjp0cnVlfX0.'),
('hs256-confusion',
 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJwYXJhZ29uLXRlc3QiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9ucyI6eyJpbnRlZ3JhdGlvbjoqIjp0cnVlfX0.UkbwKfkX1raYJi7OW0nULIAtLZjLjOZtWAJf-V8WHB8'),
('dup-alg',
 'eyJhbGciOiJSUzI1NiIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJwYXJhZ29uLXRlc3QiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9ucyI6eyJpbnRlZ3JhdGlvbjoqIjp0cnVlfX0.wQY5AYreS1Qxosu3lv9Gj8IJuFPgaa9lQx-YsG5LgRmgU28rWoKgTArcGSGxi27FA1XJtfR216EkDZqQfuMgHTHZlGWMgfiYsvKaWvt_t72w7VcqlOTF0DlVpYeqcOkzWv88zxVKDdFpwjG0vc_5_guPtgYN6fwHWZvmj9KogiIuc4f8yf79jsBtqEs8NkBL5Y8RVI5UVG9MaxuJKnJSNjzLIVT5XzUIADTmP528cu4NMm1LTk5Wc3YSWB1Poo6FyMXjvY_cJgr_P5CsLeyjOsKC-m9kQtEyVsrcJkGC35xMtnwJt6cBb8FOwKrnsiHmHQsSGRLgq4gs-3UTOV-Tnw'),
('crit',
 'eyJhbGciOiJSUzI1NiIsImNyaXQiOlsiZXhwIl0sImV4cCI6MTc2NzIyOTIwMH0.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJwYXJhZ29uLXRlc3QiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9ucyI6eyJpbnRlZ3JhdGlvbjoqIjp0cnVlfX0.Ownr4aeTlzkmhc1dZGfw5D_BUFpBnTmwKdto7VQxD-o94AJeJ7Z_5q7qQLurehdtJzp5B82ORwH_sm2Kaqq0AnAAh88QJkgiIfx3XC5ho1-KeBwXVTlH2I8BdfSqUGh4CWTdTf_x4UNh0tbZQN3odTpxZn1TzPJ2S9Rle3I8ANu-LhNTT4Z82d2JhNZsHzJnpAt9eyLHsK3r15dmjamC7IyN6UhzcqeocqK5NAEkYCryAi0ZAnn6SD-VJJoRO4ZPYMKmNRoiZfgTe3veNgWxHADpzl9urmuASfJEQOCsGmH_GzF39Qs_aOFptDjr0rM3_OPne8T7NX2TACieKsLgzA'),
('es256-der',
 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImVjLTEifQ.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJwYXJhZ29uLXRlc3QiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9ucyI6eyJpbnRlZ3JhdGlvbjoqIjp0cnVlfX0.MEUCIQDCnTYqLSC-4lt2cgIcauoFFNkvBFcKRNsx6WkS1JUf7QIgY-plVmmpaiFWCYViUmmA_5NMWcJo7yVHfIhuspApri8'),
('rsa1024',
 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJwYXJhZ29uLXRlc3QiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwidXJuOnVzZXBhcmFnb246Y29ubmVjdDpwZXJtaXNzaW9ucyI6eyJpbnRlZ3JhdGlvbjoqIjp0cnVlfX0.HPLSIsYNoL3ae1o03N5aF18GF8KCcjXy0hULgp4PuMB8TV1rpm4l9r-Xk08VLANTYPfAP43tcDbKwyiKshOu77JzvlmCk7k2P600Y3iLwl4jFElv1qRkEn28tILbL_FRmPk263WfLtOj5zP0x82rpZXTxNH8Rjg-Adnkw1IO47I'),
('array',
 'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.WyJub3QiLCJhbiIsIm9iamVjdCJd.iQXejOiOqps3f1yx0dgCoIqXaFgGcOse1WR2XOyGKCNO8DweF2I-ryN2oO93nnP7mxjeaC8ib9j3xIy3B3Y6AdkBu1omKDp411JL317jscc94dTemEJMHkwehWAKy5UkkwFn944Kgrd8zFdB1ER_5bOmhhuP1k_cYn_vVQNE0ASE0R6Q2vnaR7N6t8JfnERh8s6pRqJ3DJBEkkf7yNOYWfj4LW9EBMiXmc5-ujwZGn5j9mmyXnIRjhgHF4B7gP3CxIwmW91NqwXXps0UCQbYsoYla8aX7xXDDEGCAGUbxALn0cmSFeCa2JWjDKFCqcLA47qkXIgqEn7EUT0K0t_AuA'),
('dup-claim',
 'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.eyJzdWIiOiJ1c2VyLTEiLCJzdWIiOiJhZG1pbiIsImV4cCI6MTc2NzIyOTIwMH0.TQJ1x3auJJeEqheg06qGFjdBs7f8e3bJDvKfSsKbde2cfaWz9Bt_jT742ZAezOJaZ7jDHsOlzYIMQp-DJJ6vAuEI7Kq7Gyu3-DVFGWAndKtwSYC_5WpJgZcCNOouHgnuE6HzOwjXTVRc5UcCIRL6w8dtoPgr4NzK4R5oHvLNAO1KSaKQ99uyo0OmOL-01LmCdIImGb9sSTAwE9pa6rm0PY5Lncr5sRhNViO1Vwu5QD1ucDG1KO_-Tt1B1lYkN44Xs8ZXBflgM8odB6xbjaY_Pkw02WsvL1oATPznVYjqdBAJXF4ofGwAyuBZcXM2mt8QM9TQ8zOA30C7sssGFnGjjQ'),
('bigint',
 'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.eyJzdWIiOiJ1c2VyLTEiLCJiaWciOjEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MCwiZXhwIjoxNzY3MjI5MjAwfQ.qtYx-xPitC0MUooqEW-d6IAVgRKABOfiY0X74HryDgfsZ2MEfSqu6LJjEEmPGPvyYQqTK06wL_AbjccrqoHALgxvKDhl8MuDEdpFzu39mU2p6dJlX3gUATQqJkCn3WOaJcK-EyBYxAeVzQy8p8eVx27K0t7Me0hToYhBEd9xc3H9X6zZ_cUpKQctHSBu8HIaXDscaLIFjVUWs3saSD6XvhPHlAw2pb7F7JkOwtnOqn2Qv2BfTGm9NW1Xq0ZsF-H1Ecwh12DDnT4WpEz2tEN_gEsNq3_4-VXcZ9FZRrTi7owyl-jOS3re9QVfeWlhm_InwGlHmgbxLJQnx2w5uc3aLw'),
('exp-string',
 'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOiIxNzY3MjI5MjAwIn0.FZZ8la0_bFLn3gSnvpCb2MaXNcZBM1bzi4e8Cs2P6pa1NBfB7tQ0NR6NOuVasHBMjji23MOxl-WD2saNjGfyFiIFSEFf_Z42dHnv0KL28wuFGploVAF3PZTrJr4pJ8W5y26mAWI_F1v_0psoFbQc1p4M2ujiIp7TpUPttUDwxHF91ssgdsy7M67fBcXwAijaGAQqxO5i4SdfDNVujQoNEqyDUuC9rjRg9uHz7lw06aN5vzoeajELwhLBK8aGuHx2ClokcTjIOaHzhNFdbp91npeWO-KXwV6XjLUFO0uqntDCmrTHZDsIaTBMmdL0_EGiWn_dbArP92Ppvops_gT6aQ'),
('rfc7515-a2',
 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw'),
('rfc7515-a3',
 'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q');

CREATE FUNCTION tk(text) RETURNS text LANGUAGE sql STABLE
AS $$SELECT key FROM token_keys WHERE name = $1$$;
CREATE FUNCTION tt(text) RETURNS text LANGUAGE sql STABLE
AS $$SELECT token FROM token_tokens WHERE name = $1$$;
-- tflip replaces the character at pos by the next one of the base64url alphabet
CREATE FUNCTION tflip(tok text, pos int) RETURNS text LANGUAGE sql IMMUTABLE
AS $$SELECT overlay(tok PLACING substr('BCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_A',
  strpos('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', substr(tok, pos, 1)), 1)
  FROM pos FOR 1)$$;

--
-- Accepted tokens
--
-- RS256 with each form of the RSA key
SELECT paragon_verify_token(tt('rs256'), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
SELECT paragon_verify_token(tt('rs256'), tk('rsa-pkcs1'), at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub;
SELECT paragon_verify_token(tt('rs256'), tk('rsa-cert'), at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub;
SELECT paragon_verify_token(tt('rs256'), tk('rsa-jwk'), at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub;
-- the JWK Set holds an RSA, an EC and an Ed25519 key; the header kid picks one
SELECT paragon_verify_token(tt('rs256'), tk('jwks'), at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub;
SELECT paragon_verify_token(tt('es256'), tk('jwks'), '{ES256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub;
SELECT paragon_verify_token(tt('eddsa'), tk('jwks'), '{EdDSA}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub;
-- PS256 without kid: the set holds exactly one RSA key, so that one is used
SELECT paragon_verify_token(tt('ps256'), tk('jwks'), '{RS256,PS256}', at => '2026-01-01 00:10:00+00');
SELECT paragon_verify_token(tt('ps256'), tk('rsa-spki'), '{PS256}', 'paragon-test', at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub;
SELECT paragon_verify_token(tt('es256'), tk('ec-spki'), '{ES256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub;
SELECT paragon_verify_token(tt('es256'), tk('ec-jwk'), '{ES256}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub;
SELECT paragon_verify_token(tt('eddsa'), tk('ed-spki'), '{EdDSA}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub;
SELECT paragon_verify_token(tt('eddsa'), tk('ed-jwk'), '{EdDSA}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub;
-- audience as a string and as an array
SELECT paragon_verify_token(tt('rs256'), tk('rsa-spki'), audience => 'paragon-test', at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub;
-- exp is not required when require_exp is false
SELECT paragon_verify_token(tt('noexp'), tk('rsa-spki'), require_exp => false, at => '2026-01-01 00:10:00+00');
-- leeway: 20 seconds after exp is still within the default 30 seconds
SELECT paragon_verify_token(tt('rs256'), tk('rsa-spki'), at => '2026-01-01 01:00:20+00') ->> 'sub' AS sub;
-- nbf: valid from 02:00, accepted 20 seconds early thanks to the leeway
SELECT paragon_verify_token(tt('nbf'), tk('rsa-spki'), at => '2026-01-01 01:59:40+00') ->> 'sub' AS sub;
-- the signature layer alone returns the payload bytes, JSON or not
SELECT convert_from(paragon_verify_jws(tt('notjson'), tk('rsa-spki')), 'UTF8') AS payload;
SELECT length(paragon_verify_jws(tt('rs256'), tk('rsa-jwk'))) AS payload_bytes;
-- one call site, a different key on each row: the per-call-site key cache
-- must follow the key text
SELECT n, paragon_verify_token(tt(tok), tk(key), '{RS256,ES256,EdDSA}', at => '2026-01-01 00:10:00+00') ->> 'sub' AS sub
FROM (VALUES (1, 'rs256', 'rsa-spki'), (2, 'es256', 'ec-spki'), (3, 'rs256', 'rsa-cert'),
             (4, 'eddsa', 'ed-spki'), (5, 'rs256', 'rsa-spki')) AS v(n, tok, key)
ORDER BY n;
SELECT n, length(paragon_verify_jws(tt(tok), tk(key), '{RS256,ES256}')) AS payload_bytes
FROM (VALUES (1, 'rs256', 'rsa-spki'), (2, 'es256', 'ec-spki'), (3, 'es256', 'rsa-spki')) AS v(n, tok, key)
ORDER BY n;
\echo :LAST_ERROR_SQLSTATE
-- an integer beyond 64 bits is kept exactly
SELECT paragon_verify_token(tt('bigint'), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
-- NULL arguments give NULL
SELECT paragon_verify_jws(NULL, tk('rsa-spki')) IS NULL AS is_null;
SELECT paragon_verify_token(tt('rs256'), NULL) IS NULL AS is_null;

--
-- RFC 7515 Appendix A.2 (RS256) and A.3 (ES256), before their exp
-- (2011-03-22 18:43:00+00); the payload has CRLF whitespace
--
SELECT paragon_verify_token(tt('rfc7515-a2'), tk('rfc7515-a2-spki'), at => '2011-03-22 18:00:00+00');
SELECT paragon_verify_token(tt('rfc7515-a2'), tk('rfc7515-a2-jwk'), at => '2011-03-22 18:00:00+00') ->> 'iss' AS iss;
SELECT paragon_verify_token(tt('rfc7515-a3'), tk('rfc7515-a3-jwk'), '{ES256}', at => '2011-03-22 18:00:00+00');
SELECT paragon_verify_token(tt('rfc7515-a3'), tk('rfc7515-a3-spki'), '{ES256}', at => '2011-03-22 18:00:00+00') ->> 'iss' AS iss;
SELECT length(paragon_verify_jws(tt('rfc7515-a2'), tk('rfc7515-a2-spki'))) AS payload_bytes;
-- ... and expired at the time of writing
SELECT paragon_verify_token(tt('rfc7515-a2'), tk('rfc7515-a2-spki'), at => '2026-01-01 00:00:00+00');
\echo :LAST_ERROR_SQLSTATE

--
-- Refused tokens (28000)
--
-- bad signature: the token under another RSA key
SELECT paragon_verify_token(tt('rs256'), tk('rfc7515-a2-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- one character flipped in the header (kid "rsa-1" becomes "rsa-2")
SELECT paragon_verify_token(tflip(tt('rs256'), 52), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- one character flipped in the payload ("integration:*" becomes "integration:+")
SELECT paragon_verify_token(tflip(tt('rs256'), 220), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- one character flipped in the signature
SELECT paragon_verify_token(tflip(tt('rs256'), 403), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_jws(tflip(tt('es256'), 250), tk('ec-spki'), '{ES256}');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_jws(tflip(tt('eddsa'), 250), tk('ed-spki'), '{EdDSA}');
\echo :LAST_ERROR_SQLSTATE
-- alg none, whatever the list says
SELECT paragon_verify_token(tt('none'), tk('rsa-spki'), '{none,RS256}', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- HS256 signed with the RSA public key (PEM text) as the HMAC secret
SELECT paragon_verify_token(tt('hs256-confusion'), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(tt('hs256-confusion'), tk('rsa-spki'), '{RS256,HS256}', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- algorithm not in the list
SELECT paragon_verify_token(tt('ps256'), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- expired: exp 01:00:00 plus 30 seconds of leeway
SELECT paragon_verify_token(tt('rs256'), tk('rsa-spki'), at => '2026-01-01 01:00:30+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(tt('rs256'), tk('rsa-spki'), leeway => '0', at => '2026-01-01 01:00:00+00');
\echo :LAST_ERROR_SQLSTATE
-- not yet valid (nbf 02:00:00)
SELECT paragon_verify_token(tt('nbf'), tk('rsa-spki'), at => '2026-01-01 01:59:00+00');
\echo :LAST_ERROR_SQLSTATE
-- issued in the future (iat 00:00:00)
SELECT paragon_verify_token(tt('rs256'), tk('rsa-spki'), at => '2025-12-31 23:59:00+00');
\echo :LAST_ERROR_SQLSTATE
-- no exp
SELECT paragon_verify_token(tt('noexp'), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- wrong audience, and an audience asked of a token that has none
SELECT paragon_verify_token(tt('rs256'), tk('rsa-spki'), audience => 'someone-else', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(tt('noexp'), tk('rsa-spki'), audience => 'paragon-test', require_exp => false, at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- the payload of a valid signature is not JSON, or JSON but not an object
SELECT paragon_verify_token(tt('notjson'), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(tt('array'), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- duplicate claim ("sub" twice), which jsonb alone would silently resolve
SELECT paragon_verify_token(tt('dup-claim'), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- exp as a string rather than a NumericDate
SELECT paragon_verify_token(tt('exp-string'), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- duplicate "alg" member in the header (validly signed)
SELECT paragon_verify_token(tt('dup-alg'), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- "crit" naming an extension (validly signed)
SELECT paragon_verify_token(tt('crit'), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- padded base64url
SELECT paragon_verify_token(tt('rs256') || '==', tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- characters outside the base64url alphabet ('+' and '/' of plain base64)
SELECT paragon_verify_token(overlay(tt('rs256') PLACING '+' FROM 100 FOR 1), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(overlay(tt('rs256') PLACING '/' FROM 10 FOR 1), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- not three parts
SELECT paragon_verify_jws(tt('rs256') || '.x', tk('rsa-spki'));
\echo :LAST_ERROR_SQLSTATE
-- over 64 kB
SELECT paragon_verify_token(tt('rs256') || repeat('A', 65536), tk('rsa-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- ES256 signature in DER form instead of raw r||s
SELECT paragon_verify_token(tt('es256-der'), tk('ec-spki'), '{ES256}', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- key of the wrong type: an EC key for an RS256 token, an RSA key for ES256
SELECT paragon_verify_token(tt('rs256'), tk('ec-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(tt('es256'), tk('rsa-spki'), '{ES256}', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- JWK with "use": "enc"
SELECT paragon_verify_token(tt('rs256'), (tk('rsa-jwk')::jsonb || '{"use": "enc"}')::text, at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- JWK with "key_ops" that do not include "verify"
SELECT paragon_verify_token(tt('rs256'), (tk('rsa-jwk')::jsonb || '{"key_ops": ["encrypt"]}')::text, at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- JWK bound to RS256, token signed with PS256 by the same RSA key
SELECT paragon_verify_token(tt('ps256'), tk('rsa-jwk'), '{PS256}', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- JWK Set without kid in the token and several usable keys
SELECT paragon_verify_token(tt('ps256'), jsonb_build_object('keys', jsonb_build_array(tk('rsa-jwk')::jsonb - 'alg', tk('rfc7515-a2-jwk')::jsonb))::text, '{PS256}', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- JWK Set without the token's kid
SELECT paragon_verify_token(tt('rs256'), jsonb_build_object('keys', jsonb_build_array(tk('rfc7515-a2-jwk')::jsonb))::text, at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE

--
-- The caller's key or options are wrong (22023)
--
-- RSA key of 1024 bits
SELECT paragon_verify_token(tt('rsa1024'), tk('rsa1024-spki'), at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(tt('rs256'), 'not a key', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(tt('rs256'), '-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIA==
-----END PRIVATE KEY-----', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(tt('rs256'), '-----BEGIN PUBLIC KEY-----
AAAA
-----END PUBLIC KEY-----', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(tt('rs256'), '{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(tt('rs256'), tk('rsa-spki'), '{RS257}', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(tt('rs256'), tk('rsa-spki'), '{}', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT paragon_verify_token(tt('rs256'), tk('rsa-spki'), leeway => '-1 second', at => '2026-01-01 00:10:00+00');
\echo :LAST_ERROR_SQLSTATE
-- a month has no fixed length: a leeway with months is refused, never read
-- as its days alone (which here would refuse the token as expired instead)
SELECT paragon_verify_token(tt('rs256'), tk('rsa-spki'), leeway => '1 month 1 day', at => '2026-02-15 00:00:00+00');
\echo :LAST_ERROR_SQLSTATE

DROP FUNCTION tflip(text, int), tt(text), tk(text);
DROP TABLE token_keys, token_tokens;
