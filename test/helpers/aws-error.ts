/** An error shaped as the SDK throws a service's answer: name = code, with $metadata. */
export function awsError(name: string, message: string, status = 400): Error {
  const error = new Error(message);
  error.name = name;
  Object.assign(error, { $metadata: { httpStatusCode: status }, $fault: 'client' });
  return error;
}
