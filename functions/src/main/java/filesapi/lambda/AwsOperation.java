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
    S3_PRESIGNED_GET(grant(Resource.OBJECTS, "s3:GetObject"));

    /** What a policy grants an action on: the table, the lists table, the bucket itself or its objects. */
    public enum Resource { TABLE, LISTS_TABLE, BUCKET, OBJECTS }

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
