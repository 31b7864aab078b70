import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type RunningControlPlane,
  startControlPlane,
} from '../../../local/control-plane/server.ts';
import { AwsServiceError } from '../../../local/control-plane/service-types.ts';

describe('startControlPlane', () => {
  let plane: RunningControlPlane;
  beforeEach(async () => {
    plane = await startControlPlane({
      services: [
        {
          protocol: 'json',
          targetPrefix: 'TestService',
          operations: {
            Echo: async (input) => ({ Got: input, At: new Date(1_700_000_000_500) }),
            Refuse: async () => {
              throw new AwsServiceError('ThingNotFound', 'No such thing', 404);
            },
            Crash: async () => {
              throw new Error('boom');
            },
          },
        },
        {
          protocol: 'ec2-query',
          apiVersion: '2016-11-15',
          operations: { DescribeThings: async () => '<thingSet/>' },
        },
      ],
    });
  });
  afterEach(async () => {
    await plane.close();
  });

  const postJson = (target: string, body: string) =>
    fetch(plane.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
      body,
    });
  const postQuery = (body: string) =>
    fetch(plane.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });

  it('listens on 127.0.0.1 only', () => {
    // Assess
    expect(plane.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
  });

  it('answers a JSON operation with its output, timestamps as epoch seconds', async () => {
    // Act
    const response = await postJson('TestService.Echo', '{"Name":"x"}');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ Got: { Name: 'x' }, At: 1_700_000_000.5 });
  });

  it.each([
    {
      label: 'an AWS error',
      target: 'TestService.Refuse',
      body: '{}',
      status: 404,
      type: 'ThingNotFound',
    },
    {
      label: 'an unknown operation',
      target: 'TestService.Nope',
      body: '{}',
      status: 400,
      type: 'UnknownOperationException',
    },
    {
      label: 'an unknown service',
      target: 'Other.Echo',
      body: '{}',
      status: 400,
      type: 'UnknownOperationException',
    },
    {
      label: 'a body that is not JSON',
      target: 'TestService.Echo',
      body: '{',
      status: 400,
      type: 'SerializationException',
    },
    {
      label: 'an unexpected failure',
      target: 'TestService.Crash',
      body: '{}',
      status: 500,
      type: 'InternalFailure',
    },
  ])('answers $label with __type and status', async ({ target, body, status, type }) => {
    // Act
    const response = await postJson(target, body);

    // Assess
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ __type: type, message: expect.any(String) });
  });

  it('wraps an EC2 answer in <ActionResponse> with the namespace and a requestId', async () => {
    // Act
    const response = await postQuery('Action=DescribeThings&Version=2016-11-15');
    const text = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(text).toMatch(
      new RegExp(
        '^<\\?xml version="1.0" encoding="UTF-8"\\?>\n' +
          '<DescribeThingsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
          '<requestId>[0-9a-f-]{36}</requestId><thingSet/></DescribeThingsResponse>$',
      ),
    );
  });

  it("answers an unknown EC2 action with EC2's error document", async () => {
    // Act
    const response = await postQuery('Action=RunInstances&Version=2016-11-15');
    const text = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(text).toContain(
      '<Response><Errors><Error><Code>InvalidAction</Code>' +
        '<Message>The action RunInstances is not valid for this web service.</Message>' +
        '</Error></Errors><RequestID>',
    );
  });
});
