namespace RoutingFlow.Server.Diagnosis;

public static class Extensions
{
    /// <summary>Each incident's diagnosis: why the WAN was over (demand, capacity, both or unclear), from the stored history.</summary>
    public static void AddDiagnosis(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EvidenceReader>();
        builder.Services.AddSingleton<DiagnosisWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DiagnosisWorker>());
    }
}
