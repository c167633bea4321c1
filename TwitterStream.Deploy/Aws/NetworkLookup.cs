namespace TwitterStream.Deploy.Aws;

/// <summary>Subnets and security groups for the task: the user's, else the default VPC's default-for-AZ subnets and default group.</summary>
internal sealed class NetworkLookup(AwsCli aws)
{
    public async Task<(IReadOnlyList<string> Subnets, IReadOnlyList<string> SecurityGroups)> ResolveAsync(
        IReadOnlyList<string> subnets, IReadOnlyList<string> securityGroups, CancellationToken cancellationToken)
    {
        if (subnets.Count > 0 && securityGroups.Count > 0)
        {
            return (subnets, securityGroups);
        }

        string vpc;
        if (subnets.Count == 0)
        {
            var vpcs = await aws.JsonAsync(
                ["ec2", "describe-vpcs", "--filters", "Name=isDefault,Values=true"],
                """{"Vpcs":[{"VpcId":"<default-vpc-id>"}]}""",
                cancellationToken);
            vpc = AwsCli.First(vpcs["Vpcs"])?["VpcId"]?.GetValue<string>()
                ?? throw new DeployError($"region {aws.Region} has no default VPC: pass --subnets <subnet-a,subnet-b> and --security-groups <sg-...>.");
            var found = await aws.JsonAsync(
                ["ec2", "describe-subnets", "--filters", $"Name=vpc-id,Values={vpc}", "Name=default-for-az,Values=true"],
                """{"Subnets":[{"SubnetId":"<default-subnet-id>","VpcId":"<default-vpc-id>"}]}""",
                cancellationToken);
            subnets = (found["Subnets"]?.AsArray() ?? []).Select(s => s!["SubnetId"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
            if (subnets.Count == 0)
            {
                throw new DeployError($"the default VPC {vpc} has no default subnets: pass --subnets <subnet-a,subnet-b>.");
            }
        }
        else
        {
            var found = await aws.JsonAsync(["ec2", "describe-subnets", "--subnet-ids", subnets[0]], """{"Subnets":[{"VpcId":"<vpc-id>"}]}""", cancellationToken);
            vpc = AwsCli.First(found["Subnets"])?["VpcId"]?.GetValue<string>() ?? throw new DeployError($"subnet {subnets[0]} was not found in {aws.Region}: check --subnets.");
        }

        if (securityGroups.Count == 0)
        {
            var groups = await aws.JsonAsync(
                ["ec2", "describe-security-groups", "--filters", $"Name=vpc-id,Values={vpc}", "Name=group-name,Values=default"],
                """{"SecurityGroups":[{"GroupId":"<default-security-group-id>"}]}""",
                cancellationToken);
            var group = AwsCli.First(groups["SecurityGroups"])?["GroupId"]?.GetValue<string>()
                ?? throw new DeployError($"VPC {vpc} has no default security group: pass --security-groups <sg-...>.");
            securityGroups = [group];
        }

        return (subnets, securityGroups);
    }
}
