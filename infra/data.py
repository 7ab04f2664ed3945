"""Where records live: the customer-managed key, the tables, queues, topics, the token secret, the
audit archive (an S3 bucket with Object Lock) and the attachments bucket.

Every table holds records (cases, events, the audit trail, catalog versions, signals…), so every
table is ``Retain`` on stack deletion and replacement, has deletion protection and point-in-time
recovery, and is encrypted with the stack's customer-managed KMS key (``DataKey``). The events
log and the audit trail are append-only: besides the explicit ``Deny`` in every function's role,
their table resource policy denies updates and deletes to every principal.
"""
from __future__ import annotations

from typing import Any

from .cfn import arn, camel, policy, ref, service_principal, sub

#: The attachments bucket's name, known without naming the bucket resource (the hall's CSP names its
#: endpoint, and the bucket's CORS rule names the hall: referring to each other would be a circle).
ATTACHMENTS_BUCKET_NAME = "${AWS::StackName}-attachments-${AWS::AccountId}"
TABLES = ("catalog", "identity", "events", "cases", "oversight", "stats", "work", "audit")
#: Append-only tables (docs/DOMAIN.md §2.3: the case record and the audit trail are never rewritten).
APPEND_ONLY = ("events", "audit")
# The projection rebuilds a case from its log, so the events stream only has to say which case
# changed (KEYS_ONLY); supervision and legality checks read the new case view from the record.
STREAM_TABLES = {"events": "KEYS_ONLY", "cases": "NEW_IMAGE"}
#: What nobody may do to an append-only table (IAM evaluates each action of a transaction alone).
MUTATIONS = ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
             "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete"]

PARAMETERS: dict[str, Any] = {
    "AuditArchiveRetentionDays": {
        "Type": "Number", "Default": 3650, "MinValue": 1,
        "Description": "Days each monthly audit digest stays locked (S3 Object Lock) in the audit archive bucket.",
    },
    "AuditArchiveLockMode": {
        "Type": "String", "Default": "COMPLIANCE", "AllowedValues": ["COMPLIANCE", "GOVERNANCE"],
        "Description": "COMPLIANCE: nobody, not even the root user, can delete or shorten a digest's lock. "
                       "GOVERNANCE only for trial stacks.",
    },
}


def table_logical_id(name: str) -> str:
    return f"{camel(name)}Table"


def _append_only_policy(name: str) -> dict[str, Any]:
    """Resource policy of an append-only table: no principal may update or delete its items."""
    return {"PolicyDocument": policy(
        {"Sid": "AppendOnly", "Effect": "Deny", "Principal": "*", "Action": MUTATIONS,
         "Resource": sub("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/"
                         f"${{AWS::StackName}}-{name}")},
    )}


def table(name: str) -> dict[str, Any]:
    props: dict[str, Any] = {
        "TableName": sub(f"${{AWS::StackName}}-{name}"),
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": a, "AttributeType": "S"}
            for a in ("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk")
        ],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": idx,
                "KeySchema": [
                    {"AttributeName": f"{idx}pk", "KeyType": "HASH"},
                    {"AttributeName": f"{idx}sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for idx in ("gsi1", "gsi2")
        ],
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": arn("DataKey")},
        "DeletionProtectionEnabled": True,
    }
    if name in STREAM_TABLES:
        props["StreamSpecification"] = {"StreamViewType": STREAM_TABLES[name]}
    if name in APPEND_ONLY:
        props["ResourcePolicy"] = _append_only_policy(name)
    return {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": props}


def data_key() -> dict[str, Any]:
    """One customer-managed key for tables, queues, topics, the secret, log groups and the audit
    archive. The account's IAM policies decide who may use it (the first statement); the services
    that use it on the stack's behalf are named with conditions that keep them to this account."""
    account = {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}}
    statements = [
        {"Sid": "AccountAdministersTheKey", "Effect": "Allow",
         "Principal": {"AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "LogGroupsOfThisAccount", "Effect": "Allow", "Principal": {"Service": service_principal("logs")},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*",
         "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                   sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*")}}},
        {"Sid": "AlarmsPublishToTheOpsTopic", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*", "Condition": account},
    ]
    return {"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {"Description": sub("Sunlit ${AWS::StackName}: tables, queues, topics, logs, audit archive"),
                           "EnableKeyRotation": True, "PendingWindowInDays": 30,
                           "KeyPolicy": policy(*statements)}}


def identity_key() -> dict[str, Any]:
    """Envelope encryption of identity secrets (department HMAC secrets, TOTP seeds, the audit's
    address-hashing key): the identity context calls KMS with it directly (issue 14)."""
    return {
        "IdentityKey": {"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                        "Properties": {
            "Description": "Envelope encryption of identity secrets: department HMAC secrets, TOTP seeds, "
                           "the audit address-hashing key.",
            "EnableKeyRotation": True, "PendingWindowInDays": 30,
            "KeyPolicy": policy({"Sid": "AccountAdministersThroughIAM", "Effect": "Allow",
                                 "Principal": {"AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
                                 "Action": "kms:*", "Resource": "*"})}},
        "IdentityKeyAlias": {"Type": "AWS::KMS::Alias", "Properties": {
            "AliasName": sub("alias/${AWS::StackName}-identity"), "TargetKeyId": ref("IdentityKey")}},
    }


def _queue(name: str, **props: Any) -> dict[str, Any]:
    return {"Type": "AWS::SQS::Queue", "Properties": {
        "QueueName": sub(f"${{AWS::StackName}}-{name}"), "KmsMasterKeyId": ref("DataKey"),
        "KmsDataKeyReusePeriodSeconds": 3600, **props}}


def _topic(name: str) -> dict[str, Any]:
    return {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": sub(f"${{AWS::StackName}}-{name}"),
                                                      "KmsMasterKeyId": ref("DataKey")}}


def _deny_insecure(bucket: str) -> dict[str, Any]:
    return {"Sid": "HttpsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [arn(bucket), sub(f"${{{bucket}.Arn}}/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def audit_archive() -> dict[str, Any]:
    """Monthly audit digests (审计摘要) under S3 Object Lock: once written, a digest cannot be
    changed or deleted until its retention ends, so a rewrite of the audit table is detectable
    from outside the database (``chalicelib/identity/services/audit_export.py``)."""
    return {
        "AuditArchiveBucket": {
            "Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {
                "BucketName": sub("${AWS::StackName}-audit-archive-${AWS::AccountId}"),
                "ObjectLockEnabled": True,
                "ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {
                    "Mode": ref("AuditArchiveLockMode"), "Days": ref("AuditArchiveRetentionDays")}}},
                "VersioningConfiguration": {"Status": "Enabled"},
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [{
                    "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": arn("DataKey")},
                    "BucketKeyEnabled": True}]},
                "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "IgnorePublicAcls": True,
                                                   "BlockPublicPolicy": True, "RestrictPublicBuckets": True},
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            },
        },
        "AuditArchiveBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {"Bucket": ref("AuditArchiveBucket"), "PolicyDocument": policy(
                _deny_insecure("AuditArchiveBucket"),
                {"Sid": "DigestsAreNeverDeleted", "Effect": "Deny", "Principal": "*",
                 "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration"],
                 "Resource": [arn("AuditArchiveBucket"), sub("${AuditArchiveBucket.Arn}/*")]},
            )},
        },
    }


#: Where a browser may write (presigned POSTs name one key under it); verified files move to ``files/``.
ATTACHMENTS_INCOMING = "incoming/"


def attachments() -> dict[str, Any]:
    """Files citizens and staff attach (附件, ``chalicelib/attachments``): private, encrypted with the
    data key, versioned; browsers POST straight into ``incoming/`` with a presigned policy (one key,
    one type, a size range) and never read; staff read through presigned GETs of two minutes.
    Uploads no submission named expire from ``incoming/`` after two days. The CORS rule naming the
    hall's origin is added by ``infra/build.py`` (one place knows the hall's origin)."""
    return {
        "AttachmentsBucket": {
            "Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {
                "BucketName": sub(ATTACHMENTS_BUCKET_NAME),
                "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "IgnorePublicAcls": True,
                                                   "BlockPublicPolicy": True, "RestrictPublicBuckets": True},
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [{
                    "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": arn("DataKey")},
                    "BucketKeyEnabled": True}]},
                "VersioningConfiguration": {"Status": "Enabled"},
                "LifecycleConfiguration": {"Rules": [{
                    "Id": "incoming-uploads-expire", "Status": "Enabled", "Prefix": ATTACHMENTS_INCOMING,
                    "ExpirationInDays": 2, "NoncurrentVersionExpiration": {"NoncurrentDays": 2},
                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]},
            },
        },
        "AttachmentsBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {"Bucket": ref("AttachmentsBucket"), "PolicyDocument": policy(
                _deny_insecure("AttachmentsBucket"))},
        },
    }


def resources() -> dict[str, Any]:
    out: dict[str, Any] = {"DataKey": data_key(),
                           "DataKeyAlias": {"Type": "AWS::KMS::Alias", "Properties": {
                               "AliasName": sub("alias/${AWS::StackName}-data"), "TargetKeyId": ref("DataKey")}}}
    for name in TABLES:
        out[table_logical_id(name)] = table(name)
    out["TasksDeadLetterQueue"] = _queue("tasks-dlq", MessageRetentionPeriod=1209600)
    out["TasksQueue"] = _queue("tasks", VisibilityTimeout=120, RedrivePolicy={
        "deadLetterTargetArn": arn("TasksDeadLetterQueue"), "maxReceiveCount": 5})
    out["StreamDeadLetterQueue"] = _queue("stream-dlq", MessageRetentionPeriod=1209600)
    out["SignalsTopic"] = _topic("signals")
    out["TokenSecret"] = {"Type": "AWS::SecretsManager::Secret", "Properties": {
        "Name": sub("${AWS::StackName}-token-signing"),
        "Description": "Signing key of staff access tokens (HS256). The app reads it at run time (AWSCURRENT "
                       "signs, AWSPREVIOUS still validates); rotate with POST /admin/keys/signing/rotate or "
                       "PutSecretValue, no deploy needed.",
        "KmsKeyId": ref("DataKey"),
        "GenerateSecretString": {"PasswordLength": 48, "ExcludePunctuation": True}}}
    out.update(identity_key())
    out.update(audit_archive())
    out.update(attachments())
    return out

