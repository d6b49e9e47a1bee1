package filesapi;

import java.util.List;

/**
 * The DynamoDB and S3 operations the handlers make, with the IAM actions each needs and what they are granted on.
 * Every handler declares the ones its requests can make ({@code ApiHandler.operations()}): SnapStart priming makes
 * exactly those, and template.yaml grants the handler's function exactly their actions (TemplatePolicyTest).
 */
public enum AwsOperation {
    DYNAMODB_GET_ITEM(Resource.TABLE, "dynamodb:GetItem"),
    /** Lists read an index, never the table itself. */
    DYNAMODB_QUERY_INDEX(Resource.INDEXES, "dynamodb:Query"),
    DYNAMODB_PUT_ITEM(Resource.TABLE, "dynamodb:PutItem"),
    DYNAMODB_UPDATE_ITEM(Resource.TABLE, "dynamodb:UpdateItem"),
    /**
     * IAM has no action for TransactWriteItems itself: it authorises each item as the PutItem, UpdateItem, DeleteItem
     * or ConditionCheckItem it is, so a handler that writes transactions also declares the operations of their items.
     */
    DYNAMODB_TRANSACT_WRITE(Resource.TABLE),
    S3_GET_OBJECT(Resource.OBJECTS, "s3:GetObject"),
    S3_PUT_OBJECT(Resource.OBJECTS, "s3:PutObject"),
    S3_DELETE_OBJECT(Resource.OBJECTS, "s3:DeleteObject"),
    /** Signed here, made by a browser: S3 authorises the URL as a GetObject of whoever signed it. */
    S3_PRESIGNED_GET(Resource.OBJECTS, "s3:GetObject");

    /** What a policy grants an action on: the table, its indexes, or the bucket's objects. */
    public enum Resource { TABLE, INDEXES, OBJECTS }

    private final Resource resource;
    private final List<String> iamActions;

    AwsOperation(Resource resource, String... iamActions) {
        this.resource = resource;
        this.iamActions = List.of(iamActions);
    }

    public Resource resource() {
        return resource;
    }

    public List<String> iamActions() {
        return iamActions;
    }
}
