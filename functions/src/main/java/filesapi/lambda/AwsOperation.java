package filesapi.lambda;

import java.util.List;

/**
 * The DynamoDB and S3 operations the handlers make, with the IAM actions each needs and what they are granted on.
 * Every handler declares the ones its requests can make ({@code ApiHandler.operations()}): SnapStart priming makes
 * exactly those, and template.yaml grants the handler's function exactly their actions (TemplatePolicyTest).
 */
public enum AwsOperation {
    DYNAMODB_GET_ITEM(grant(Resource.TABLE, "dynamodb:GetItem")),
    /** Lists are item collections of the lists table, read consistently; no index is ever read. */
    DYNAMODB_QUERY_LISTS(grant(Resource.LISTS_TABLE, "dynamodb:Query")),
    DYNAMODB_PUT_ITEM(grant(Resource.TABLE, "dynamodb:PutItem")),
    /** An object's list entries, written in the same transaction as the object. */
    DYNAMODB_PUT_LIST_ENTRY(grant(Resource.LISTS_TABLE, "dynamodb:PutItem")),
    DYNAMODB_UPDATE_ITEM(grant(Resource.TABLE, "dynamodb:UpdateItem")),
    /**
     * IAM has no action for TransactWriteItems itself: it authorises each item as the PutItem, UpdateItem, DeleteItem
     * or ConditionCheckItem it is, so a handler that writes transactions also declares the operations of their items.
     */
    DYNAMODB_TRANSACT_WRITE(),
    /**
     * ListBucket too: without it S3 answers a key that is not there with 403 AccessDenied instead of 404 NoSuchKey,
     * and a file whose contents are gone would be a 500 instead of Stripe's 404.
     */
    S3_GET_OBJECT(grant(Resource.OBJECTS, "s3:GetObject"), grant(Resource.BUCKET, "s3:ListBucket")),
    S3_PUT_OBJECT(grant(Resource.OBJECTS, "s3:PutObject")),
    S3_DELETE_OBJECT(grant(Resource.OBJECTS, "s3:DeleteObject")),
    /** Signed here, made by a browser: S3 authorises the URL as a GetObject of whoever signed it. */
    S3_PRESIGNED_GET(grant(Resource.OBJECTS, "s3:GetObject")),
    /** Signed here, made by the client: an upload session's PUT, authorised as a PutObject under the upload prefix. */
    S3_PRESIGNED_PUT_UPLOAD(grant(Resource.UPLOADS, "s3:PutObject")),
    /**
     * The size of an uploaded object (HeadObject, authorised as GetObject). Without ListBucket S3 answers a missing
     * key 403, which is read as "not uploaded yet": the completing function may read only the upload prefix.
     */
    S3_HEAD_UPLOAD(grant(Resource.UPLOADS, "s3:GetObject")),
    /** Ranged GETs of an uploaded object: its signature, its end, a ZIP's central directory. */
    S3_GET_UPLOAD_RANGE(grant(Resource.UPLOADS, "s3:GetObject")),
    /**
     * A copy from the upload prefix to a file's own key: GetObject on the source, PutObject on the copy. Above 16 MB
     * it is a multipart copy (CreateMultipartUpload, UploadPartCopy, CompleteMultipartUpload are all authorised as
     * PutObject), aborted if a part fails.
     */
    S3_COPY_UPLOAD(grant(Resource.UPLOADS, "s3:GetObject"), grant(Resource.OBJECTS, "s3:PutObject"),
            grant(Resource.OBJECTS, "s3:AbortMultipartUpload"));

    /**
     * What a policy grants an action on: the table, the lists table, the bucket itself, its objects, or only the
     * objects under the upload prefix ({@code uploads/}).
     */
    public enum Resource { TABLE, LISTS_TABLE, BUCKET, OBJECTS, UPLOADS }

    /** One IAM action on one resource. */
    public record Grant(Resource on, String action) {}

    private final List<Grant> grants;

    AwsOperation(Grant... grants) {
        this.grants = List.of(grants);
    }

    private static Grant grant(Resource on, String action) {
        return new Grant(on, action);
    }

    public List<Grant> grants() {
        return grants;
    }
}
