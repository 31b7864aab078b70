import { createAwsClients } from '../core/aws-clients.ts';

/**
 * The CLI's AWS clients. Like the Lambdas, it never sets endpoints itself: the SDK reads
 * AWS_ENDPOINT_URL_<SERVICE>, so the same command works against AWS and the local stack.
 */
export const cliClients = createAwsClients();
