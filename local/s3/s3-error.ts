/**
 * An error as S3 returns it on the wire: a status, a code the SDKs turn into an exception name,
 * a message, and the extra elements S3 adds to `<Error>` (Key, BucketName, Condition, ...).
 * These are not Signet errors: they are what the local S3 answers to its clients.
 */
export class S3ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra `<Error>` children, in order, after Code and Message. */
  readonly fields: Readonly<Record<string, string>>;
  /** Response headers S3 sends with this error (x-amz-delete-marker, Allow, ...). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    message: string,
    fields: Readonly<Record<string, string>> = {},
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'S3ServiceError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.headers = headers;
  }
}

// The codes, statuses and messages below are S3's own (Amazon S3 API Reference, "Error
// responses", list of error codes), so SDK exception names and messages read as they do on AWS.

export const noSuchBucket = (bucket: string) =>
  new S3ServiceError(404, 'NoSuchBucket', 'The specified bucket does not exist', {
    BucketName: bucket,
  });

export const noSuchKey = (key: string, headers: Record<string, string> = {}) =>
  new S3ServiceError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key }, headers);

export const noSuchVersion = (key: string, versionId: string) =>
  new S3ServiceError(404, 'NoSuchVersion', 'The specified version does not exist.', {
    Key: key,
    VersionId: versionId,
  });

export const invalidVersionId = (versionId: string) =>
  new S3ServiceError(400, 'InvalidArgument', 'Invalid version id specified', {
    ArgumentName: 'versionId',
    ArgumentValue: versionId,
  });

export const invalidArgument = (message: string, name: string, value: string) =>
  new S3ServiceError(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });

export const invalidRequest = (message: string) =>
  new S3ServiceError(400, 'InvalidRequest', message);

export const malformedXml = () =>
  new S3ServiceError(
    400,
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

export const incompleteBody = () =>
  new S3ServiceError(
    400,
    'IncompleteBody',
    'You did not provide the number of bytes specified by the Content-Length HTTP header',
  );

export const preconditionFailed = (condition: string) =>
  new S3ServiceError(
    412,
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    { Condition: condition },
  );

export const notImplemented = () =>
  new S3ServiceError(
    501,
    'NotImplemented',
    'A header you provided implies functionality that is not implemented',
  );

export const internalError = () =>
  new S3ServiceError(500, 'InternalError', 'We encountered an internal error. Please try again.');
