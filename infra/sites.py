"""The two static sites — the online hall (网上政务大厅, ``hall/``) and the staff console
(``console/``) — each in a private bucket behind CloudFront over HTTPS.

CloudFront reads the buckets with origin access control (an origin access identity in the China
regions, which have no OAC) and adds one response-headers policy: a Content-Security-Policy that
allows no inline script, HSTS, ``nosniff``, ``frame-ancestors 'none'``/``X-Frame-Options: DENY``.
``security_headers`` is the single source of those headers: the template and the local stack
(``devstack/edge.py``, which serves the same buckets from moto S3) both use it.
"""
from __future__ import annotations

from typing import Any

from .cfn import NO_VALUE, arn, getatt, if_, not_empty, policy, ref, sub
from .data import ATTACHMENTS_BUCKET_NAME

SITES = ("Hall", "Console")
HSTS_SECONDS = 63072000  # two years
# geolocation for the page itself only: the hall's 就近办理 asks for the citizen's position (never sent on; docs/CONTRACT.md §11)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"

PARAMETERS: dict[str, Any] = {
    "HallDomainName": {"Type": "String", "Default": "",
                       "Description": "Custom domain of the hall, e.g. zwdt.example.gov.cn (China: needs ICP 备案)."},
    "ConsoleDomainName": {"Type": "String", "Default": "",
                          "Description": "Custom domain of the staff console, e.g. console.example.gov.cn."},
    "CertificateArn": {"Type": "String", "Default": "",
                       "Description": "ACM certificate in us-east-1 covering both domains (global regions)."},
    "IamCertificateId": {"Type": "String", "Default": "",
                         "Description": "China regions: ID of the IAM server certificate covering both domains."},
}
CONDITIONS: dict[str, Any] = {
    "HasHallDomain": not_empty("HallDomainName"),
    "HasConsoleDomain": not_empty("ConsoleDomainName"),
    "HasCertificate": {"Fn::Or": [not_empty("CertificateArn"), not_empty("IamCertificateId")]},
    "HallAliases": {"Fn::And": [{"Condition": "HasHallDomain"}, {"Condition": "HasCertificate"}]},
    "ConsoleAliases": {"Fn::And": [{"Condition": "HasConsoleDomain"}, {"Condition": "HasCertificate"}]},
}


def content_security_policy(api_origins: list[str], *, https: bool = True) -> str:
    """No inline script or style, nothing from elsewhere; the API is the only other origin."""
    parts = [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src " + " ".join(["'self'", *api_origins]),
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
    if https:
        parts.append("upgrade-insecure-requests")
    return "; ".join(parts)


def security_headers(csp: str) -> dict[str, str]:
    """Every response header the sites get, as an HTTP client sees them."""
    return {
        "Content-Security-Policy": csp,
        "Strict-Transport-Security": f"max-age={HSTS_SECONDS}; includeSubDomains",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def _headers_policy(site: str) -> dict[str, Any]:
    # The API's own custom domain when there is one; otherwise this region's API Gateway endpoints.
    # Naming the RestAPI itself would close a dependency circle: the API's functions name the sites'
    # distributions as their CORS origins (SUNLIT_HALL_ORIGINS, SUNLIT_CONSOLE_ORIGINS), and the distributions use this policy.
    # Files go from the browser straight to the attachments bucket (presigned POST): its regional
    # endpoint, by the bucket's name (naming the bucket resource would close another circle: its
    # CORS rule names the hall's distribution).
    api = "${ApiOrigin}"
    files = f"https://{ATTACHMENTS_BUCKET_NAME}.s3.${{AWS::Region}}.${{AWS::URLSuffix}}"
    csp = sub(content_security_policy([api, files]), {"ApiOrigin": if_(
        "HasApiDomain", sub("https://${ApiDomainName}"),
        sub("https://*.execute-api.${AWS::Region}.${AWS::URLSuffix}"))})
    headers = security_headers("CSP")
    return {"Type": "AWS::CloudFront::ResponseHeadersPolicy", "Properties": {"ResponseHeadersPolicyConfig": {
        "Name": sub(f"${{AWS::StackName}}-{site.lower()}-headers"),
        "Comment": f"Sunlit {site.lower()}: CSP without inline script, HSTS, nosniff, no framing",
        "SecurityHeadersConfig": {
            "ContentSecurityPolicy": {"ContentSecurityPolicy": csp, "Override": True},
            "StrictTransportSecurity": {"AccessControlMaxAgeSec": HSTS_SECONDS, "IncludeSubdomains": True,
                                        "Override": True},
            "ContentTypeOptions": {"Override": True},
            "FrameOptions": {"FrameOption": "DENY", "Override": True},
            "ReferrerPolicy": {"ReferrerPolicy": headers["Referrer-Policy"], "Override": True},
        },
        "CustomHeadersConfig": {"Items": [
            {"Header": name, "Value": headers[name], "Override": True}
            for name in ("Permissions-Policy", "Cross-Origin-Opener-Policy")]},
    }}}


def _cache_policy(name: str, default_ttl: int, max_ttl: int) -> dict[str, Any]:
    return {"Type": "AWS::CloudFront::CachePolicy", "Properties": {"CachePolicyConfig": {
        "Name": sub(f"${{AWS::StackName}}-{name}"), "MinTTL": 0, "DefaultTTL": default_ttl, "MaxTTL": max_ttl,
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": True, "EnableAcceptEncodingBrotli": True,
            "CookiesConfig": {"CookieBehavior": "none"}, "HeadersConfig": {"HeaderBehavior": "none"},
            "QueryStringsConfig": {"QueryStringBehavior": "none"}}}}}


def _bucket(site: str) -> dict[str, Any]:
    """Private: no website endpoint, no public policy, objects owned by the bucket owner. The sites'
    files are public by design, so SSE-S3 rather than the data key (an OAI cannot read SSE-KMS)."""
    return {"Type": "AWS::S3::Bucket", "Properties": {
        "BucketName": sub(f"${{AWS::StackName}}-{site.lower()}-${{AWS::AccountId}}"),
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "IgnorePublicAcls": True,
                                           "BlockPublicPolicy": True, "RestrictPublicBuckets": True},
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
        "VersioningConfiguration": {"Status": "Enabled"},  # roll a bad upload back
        "LifecycleConfiguration": {"Rules": [{"Id": "old-versions", "Status": "Enabled",
                                              "NoncurrentVersionExpiration": {"NoncurrentDays": 30}}]},
    }}


def _distribution(site: str, china: bool) -> dict[str, Any]:
    bucket = f"{site}Bucket"
    origin: dict[str, Any] = {"Id": "site", "DomainName": getatt(bucket, "RegionalDomainName")}
    if china:
        origin["S3OriginConfig"] = {"OriginAccessIdentity": sub(f"origin-access-identity/cloudfront/${{{site}AccessIdentity}}")}
        certificate = {"IamCertificateId": ref("IamCertificateId"), "SslSupportMethod": "sni-only",
                       "MinimumProtocolVersion": "TLSv1.2_2021"}
    else:
        origin["S3OriginConfig"] = {"OriginAccessIdentity": ""}
        origin["OriginAccessControlId"] = getatt("SitesOriginAccessControl", "Id")
        certificate = {"AcmCertificateArn": ref("CertificateArn"), "SslSupportMethod": "sni-only",
                       "MinimumProtocolVersion": "TLSv1.2_2021"}

    def behavior(cache: str, pattern: str | None = None) -> dict[str, Any]:
        out = {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https",
               "AllowedMethods": ["GET", "HEAD"], "CachedMethods": ["GET", "HEAD"], "Compress": True,
               "CachePolicyId": ref(cache), "ResponseHeadersPolicyId": ref(f"{site}HeadersPolicy")}
        return {"PathPattern": pattern, **out} if pattern else out

    config: dict[str, Any] = {
        "Enabled": True, "Comment": sub(f"Sunlit ${{AWS::StackName}} {site.lower()}"),
        "DefaultRootObject": "index.html", "HttpVersion": "http2",
        "Origins": [origin],
        "DefaultCacheBehavior": behavior("SitesStaticCache"),
        # what the platform republishes (catalog JSON) and the API address are cached briefly
        "CacheBehaviors": [behavior("SitesPublishedCache", "catalog/*"), behavior("SitesPublishedCache", "config.js")],
        "Aliases": if_(f"{site}Aliases", [ref(f"{site}DomainName")], NO_VALUE),
        "ViewerCertificate": if_(f"{site}Aliases", certificate, {"CloudFrontDefaultCertificate": True}),
    }
    if not china:
        config["IPV6Enabled"] = True
    out: dict[str, Any] = {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": config},
                           # cfn-lint checks the certificate's ARN pattern against the empty default, which
                           # the {site}Aliases condition never lets reach CloudFront
                           "Metadata": {"cfn-lint": {"config": {"ignore_checks": ["W1030"]}}}}
    if china:  # a distribution in China serves nothing until its domain has an ICP filing (备案)
        out["Condition"] = f"Has{site}Domain"
    return out


def _bucket_policy(site: str, china: bool) -> dict[str, Any]:
    bucket = f"{site}Bucket"
    objects = sub(f"${{{bucket}.Arn}}/*")
    https_only = {"Sid": "HttpsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                  "Resource": [arn(bucket), objects], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    if china:
        reader: Any = if_(f"Has{site}Domain", {
            "Sid": "CloudFrontReads", "Effect": "Allow", "Action": "s3:GetObject", "Resource": objects,
            "Principal": {"CanonicalUser": getatt(f"{site}AccessIdentity", "S3CanonicalUserId")}}, NO_VALUE)
    else:
        reader = {"Sid": "CloudFrontReads", "Effect": "Allow", "Action": "s3:GetObject", "Resource": objects,
                  "Principal": {"Service": "cloudfront.amazonaws.com"},
                  "Condition": {"StringEquals": {"AWS:SourceArn": sub(
                      f"arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{site}Distribution}}")}}}
    return {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": ref(bucket),
                                                            "PolicyDocument": policy(https_only, reader)}}


def resources(china: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "SitesStaticCache": _cache_policy("sites-static", 300, 86400),
        "SitesPublishedCache": _cache_policy("sites-published", 30, 60),
    }
    if not china:
        out["SitesOriginAccessControl"] = {"Type": "AWS::CloudFront::OriginAccessControl", "Properties": {
            "OriginAccessControlConfig": {"Name": sub("${AWS::StackName}-sites"), "OriginAccessControlOriginType": "s3",
                                          "SigningBehavior": "always", "SigningProtocol": "sigv4"}}}
    for site in SITES:
        out[f"{site}Bucket"] = _bucket(site)
        out[f"{site}BucketPolicy"] = _bucket_policy(site, china)
        out[f"{site}HeadersPolicy"] = _headers_policy(site)
        out[f"{site}Distribution"] = _distribution(site, china)
        if china:
            out[f"{site}AccessIdentity"] = {"Type": "AWS::CloudFront::CloudFrontOriginAccessIdentity",
                                            "Condition": f"Has{site}Domain", "Properties": {
                "CloudFrontOriginAccessIdentityConfig": {"Comment": sub(f"Sunlit ${{AWS::StackName}} {site.lower()}")}}}
    return out


def outputs(china: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for site in SITES:
        url = if_(f"{site}Aliases", sub(f"https://${{{site}DomainName}}/"),
                  sub(f"https://${{{site}Distribution.DomainName}}/"))
        entry: dict[str, Any] = {"Description": f"The {site.lower()} (HTTPS)", "Value": url}
        if china:
            entry["Condition"] = f"Has{site}Domain"
        out[f"{site}URL"] = entry
        out[f"{site}BucketName"] = {"Description": f"Upload {site.lower()}/ here (infra/publish_sites.py)",
                                    "Value": ref(f"{site}Bucket")}
        dist: dict[str, Any] = {"Description": f"Invalidate after an upload of the {site.lower()}",
                                "Value": ref(f"{site}Distribution")}
        if china:
            dist["Condition"] = f"Has{site}Domain"
        out[f"{site}DistributionId"] = dist
    return out
