"""boto3 against Signet's local stack, as a Python user of `signet local up` would use it.

Reads one JSON argument: {"bucket", "app", "version", "artifact": [file, key],
"signature": [file, key], "instanceId", "tagKey"}. Endpoints and credentials come from the
environment (AWS_ENDPOINT_URL_S3 / _SSM / _EC2, which botocore reads). Prints one JSON object:
the release record read back, the command invocation, and the instances found by tag.
Every wait is bounded.
"""

import json
import sys
import time

import boto3
from botocore.config import Config


def main() -> None:
    request = json.loads(sys.argv[1])
    s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}))
    ssm = boto3.client("ssm")
    ec2 = boto3.client("ec2")

    # Signature first, then the artifact whose upload starts the deployment.
    for file, key in (request["signature"], request["artifact"]):
        s3.upload_file(file, request["bucket"], key)

    name = f"/signet/apps/{request['app']}/release"
    record = None
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            value = ssm.get_parameter(Name=name)["Parameter"]["Value"]
            record = json.loads(value)
            if (record.get("current") or {}).get("version") == request["version"]:
                break
        except ssm.exceptions.ParameterNotFound:
            pass
        time.sleep(0.5)

    sent = ssm.send_command(
        InstanceIds=[request["instanceId"]],
        DocumentName="AWS-RunShellScript",
        Parameters={"commands": ["echo from-boto3", "exit 0"]},
    )["Command"]
    # botocore's own waiter: retries on InvocationDoesNotExist, Pending, InProgress, Delayed.
    ssm.get_waiter("command_executed").wait(
        CommandId=sent["CommandId"],
        InstanceId=request["instanceId"],
        WaiterConfig={"Delay": 1, "MaxAttempts": 30},
    )
    invocation = ssm.get_command_invocation(
        CommandId=sent["CommandId"], InstanceId=request["instanceId"]
    )

    reservations = ec2.describe_instances(
        Filters=[
            {"Name": f"tag:{request['tagKey']}", "Values": [request["app"]]},
            {"Name": "instance-state-name", "Values": ["running"]},
        ]
    )["Reservations"]
    instances = sorted(i["InstanceId"] for r in reservations for i in r["Instances"])

    json.dump(
        {
            "record": record,
            "sentStatus": sent["Status"],
            "invocation": {
                key: invocation[key]
                for key in ("Status", "StatusDetails", "ResponseCode", "StandardOutputContent")
            },
            "instances": instances,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
