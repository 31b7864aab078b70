import { CHECKSUM_ALGORITHMS, checksumHeaderName } from '../body/checksums.ts';
import { receiveSmallBody } from '../body/receive-body.ts';
import { header, type S3Request } from '../http/request.ts';
import { type S3Response, xmlResponse } from '../http/response.ts';
import {
  childList,
  childText,
  childTree,
  container,
  element,
  optionalElement,
  parseXml,
  xmlDocument,
} from '../http/xml.ts';
import { invalidRequest, malformedXml, S3ServiceError } from '../s3-error.ts';
import { bucketOf, type S3Context } from './context.ts';
import { deleteOne } from './delete-object.ts';

// DeleteObjects takes at most 1000 keys per request (API reference, DeleteObjects).
const MAX_KEYS = 1000;

function hasIntegrityHeader(request: S3Request): boolean {
  return (
    header(request, 'content-md5') !== undefined ||
    header(request, 'x-amz-trailer') !== undefined ||
    CHECKSUM_ALGORITHMS.some((algorithm) => header(request, checksumHeaderName(algorithm)))
  );
}

/** DeleteObjects: each listed key or version deleted as DeleteObject would, errors per key. */
export async function deleteObjects(request: S3Request, context: S3Context): Promise<S3Response> {
  const bucketName = bucketOf(request);
  context.store.bucket(bucketName);
  if (!hasIntegrityHeader(request)) {
    throw invalidRequest('Missing required header for this request: Content-MD5');
  }
  const { body } = await receiveSmallBody(request);
  const root = childTree(parseXml(body), 'Delete');
  const objects = childList(root, 'Object');
  if (!root || objects.length === 0 || objects.length > MAX_KEYS) throw malformedXml();
  const quiet = childText(root, 'Quiet')?.trim().toLowerCase() === 'true';

  const results: string[] = [];
  for (const object of objects) {
    const key = childText(object, 'Key');
    if (key === undefined) throw malformedXml();
    const versionId = childText(object, 'VersionId');
    try {
      const outcome = await deleteOne(request, context, bucketName, key, versionId);
      if (quiet) continue;
      const markerCreated = outcome.deleteMarker && versionId === undefined;
      results.push(
        container('Deleted', [
          element('Key', key),
          optionalElement('VersionId', versionId),
          outcome.deleteMarker ? element('DeleteMarker', 'true') : '',
          optionalElement(
            'DeleteMarkerVersionId',
            outcome.deleteMarker ? (markerCreated ? outcome.versionId : versionId) : undefined,
          ),
        ]),
      );
    } catch (error) {
      if (!(error instanceof S3ServiceError)) throw error;
      results.push(
        container('Error', [
          element('Key', key),
          optionalElement('VersionId', versionId),
          element('Code', error.code),
          element('Message', error.message),
        ]),
      );
    }
  }
  return xmlResponse(xmlDocument('DeleteResult', results));
}
