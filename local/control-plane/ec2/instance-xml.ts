import { createHash } from 'node:crypto';
import type { ManagedInstance } from '../fleet-port.ts';
import { element, itemList, textElement } from '../xml.ts';

// EC2's state codes (InstanceState in the EC2 API reference).
const STATE_CODES: Readonly<Record<string, number>> = { running: 16, stopped: 80 };

export interface InstanceXmlContext {
  readonly account: string;
  readonly availabilityZone: string;
}

/** A reservation holding one instance, as DescribeInstances lists it. */
export function reservationXml(instance: ManagedInstance, context: InstanceXmlContext): string {
  const reservationId = `r-${createHash('sha256').update(instance.id).digest('hex').slice(0, 17)}`;
  return (
    textElement('reservationId', reservationId) +
    textElement('ownerId', context.account) +
    itemList('groupSet', []) +
    itemList('instancesSet', [instanceXml(instance, context)])
  );
}

function instanceXml(instance: ManagedInstance, context: InstanceXmlContext): string {
  const stopped = instance.state === 'stopped';
  const tags = Object.entries(instance.tags).map(
    ([key, value]) => textElement('key', key) + textElement('value', value),
  );
  return (
    textElement('instanceId', instance.id) +
    textElement('imageId', 'ami-0000000000000local') +
    element(
      'instanceState',
      textElement('code', STATE_CODES[instance.state]) + textElement('name', instance.state),
    ) +
    textElement('privateDnsName', 'ip-127-0-0-1.ec2.internal') +
    textElement('dnsName', '') +
    textElement('reason', stopped ? `User initiated (${utc(instance.stateChangedAt)})` : '') +
    textElement('amiLaunchIndex', 0) +
    itemList('productCodes', []) +
    textElement('instanceType', 't3.micro') +
    textElement('launchTime', instance.launchTime.toISOString()) +
    element(
      'placement',
      textElement('availabilityZone', context.availabilityZone) +
        textElement('groupName', '') +
        textElement('tenancy', 'default'),
    ) +
    element('monitoring', textElement('state', 'disabled')) +
    textElement('privateIpAddress', '127.0.0.1') +
    itemList('groupSet', []) +
    textElement('architecture', process.arch === 'arm64' ? 'arm64' : 'x86_64') +
    textElement('rootDeviceType', 'ebs') +
    textElement('virtualizationType', 'hvm') +
    itemList('tagSet', tags) +
    textElement('platformDetails', 'Linux/UNIX') +
    textElement('usageOperation', 'RunInstances')
  );
}

function utc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} GMT`;
}
